/**
 * Problem messages, keyed by code. `{name}` placeholders take the problem's args.
 * Words follow the glossary in UX.md (保底 / 力争 / 冲刺, 权重, 锁定, 分解层级 …).
 */
export type MessageCatalog = Record<string, { en: string; zh: string }>;

export const messages: MessageCatalog = {
  // ── engine: problems that need the numbers ──────────────────────────────────────────
  lockAboveParent: {
    en: "locks under {parent} add up to {locks}, more than its target of {available}",
    zh: "{parent} 下的锁定金额合计 {locks},超过其力争目标 {available}",
  },
  locksDoNotFill: {
    en: "every member under {parent} is locked, but the locks add up to {locks}, not its target of {available}",
    zh: "{parent} 下的成员全部锁定,但锁定合计 {locks},不等于其力争目标 {available}",
  },
  lockNotMultipleOfUnit: {
    en: "lock {lock} for {member} is not a multiple of the rounding unit {unit}",
    zh: "{member} 的锁定金额 {lock} 不是取整单位 {unit} 的整数倍",
  },
  weightsSumZero: {
    en: "the weights of the {level} members under {parent} add up to zero",
    zh: "{parent} 下各{level}的权重合计为零",
  },
  missingWeight: {
    en: "{level} \"{member}\" has no Weight, but its level is split by weights",
    zh: "{level}「{member}」没有权重,但该层级按权重分解",
  },
  methodWeightsWithoutWeights: {
    en: "the {level} level is set to be split by weights, but the Weights table has no {level} rows",
    zh: "{level} 层级设为按权重分解,但权重表中没有 {level} 的行",
  },
  unknownWeightMember: {
    en: "{level} \"{member}\" is not in History; give the members of the levels above it in this row to place it",
    zh: "历史数据中没有{level}「{member}」;请在该行填写其上级成员以确定位置",
  },
  ambiguousWeightMember: {
    en: "{level} \"{member}\" appears under several parents ({parents}); give the members of the levels above it in this row",
    zh: "{level}「{member}」出现在多个上级之下({parents});请在该行填写其上级成员",
  },
  amountTooLarge: {
    en: "{amount} is more than 10^15 rounding units of {unit}, more than can be planned exactly; use a larger Unit, or write the amounts in thousands",
    zh: "{amount} 超过取整单位 {unit} 的 10^15 倍，无法精确分解；请使用更大的取整单位，或以千为单位填写金额",
  },
  growthWithoutHistory: {
    en: "Growth needs History of {metric} from {from} to {to}, and there is none",
    zh: "增长率需要 {from} 至 {to} 的 {metric} 历史数据,但没有找到",
  },
  noMembers: {
    en: "History gives no members for the level {level}",
    zh: "历史数据中没有 {level} 层级的成员",
  },
  tiersOutOfOrder: {
    en: "tiers must keep Floor ≤ Target ≤ Stretch (Floor {floor}, Target {target}, Stretch {stretch})",
    zh: "目标须满足 保底 ≤ 力争 ≤ 冲刺(保底 {floor},力争 {target},冲刺 {stretch})",
  },
  noMembersBelow: {
    en: "{level} \"{member}\" has no members below it in History, so nothing can be planned for it",
    zh: "{level}「{member}」在历史数据中没有下级成员,无法为其分解",
  },
  asOfOutsidePlan: {
    en: "AsOf {asOf} is outside the plan ({from} to {to})",
    zh: "统计日期 {asOf} 不在计划期间（{from} 至 {to}）之内",
  },
  // ── parallel splits and the re-plan at AsOf (docs/splits-and-replan.md) ─────────────────
  badSplits: {
    en: "Splits must name History columns, e.g. Product, Customer (\"{value}\")",
    zh: "并行分解须列出历史数据的列，如 产品、客户群（\"{value}\"）",
  },
  unknownSplitColumn: {
    en: "{name} is not a column of History, so it cannot be split by (it can be one of: {known})",
    zh: "历史数据中没有「{name}」列，无法按其分解（可选：{known}）",
  },
  splitIsLevel: {
    en: "{name} is a level of the plan and is split already; Splits names other columns of History ({known})",
    zh: "「{name}」已是分解层级，无需并行分解；并行分解请列出其他列（{known}）",
  },
  splitColumnNotNames: {
    en: "{name} holds numbers, not names: a split needs a column of names such as product series or customer groups",
    zh: "「{name}」列是数字而非名称：并行分解需要名称列，如产品系列或客户群",
  },
  duplicateSplit: {
    en: "{name} is listed twice for the same split",
    zh: "「{name}」在同一并行分解中重复列出",
  },
  unknownSplitLevel: {
    en: "\"{level}\" is not a level of the plan, so its members cannot be split (it can be one of: {known})",
    zh: "「{level}」不是分解层级，无法按其成员并行分解（可选：{known}）",
  },
  splitNoMembers: {
    en: "History has no {dimension} names to split by",
    zh: "历史数据中没有可供分解的{dimension}名称",
  },
  splitNegativeBasis: {
    en: "the History of {member} under {node} adds up to less than zero, which cannot be a share",
    zh: "{node} 下「{member}」的历史数据合计为负，不能作为占比",
  },
  badReplanMethod: {
    en: "ReplanMethod must be Gap, Target or Equal (\"{value}\")",
    zh: "调整方法须为 缺口、目标 或 平均（\"{value}\"）",
  },
  badReplanNegative: {
    en: "ReplanNegative must be Yes or No (\"{value}\")",
    zh: "允许负目标须为 是 或 否（\"{value}\"）",
  },
  badReplan: {
    en: "Replan must be Member or a level of the plan, e.g. Team (\"{value}\")",
    zh: "重新分解须为 成员 或某个分解层级，如 团队（\"{value}\"）",
  },
  unknownReplanLevel: {
    en: "\"{level}\" is not a level of the plan; write Member (each member's own gap) or one of: {known}",
    zh: "「{level}」不是分解层级；请填写 成员（按各自差额）或以下之一：{known}",
  },
  replanNothingEnded: {
    en: "AsOf {asOf}: no period of the plan has ended yet (the first ends on {first}), so there are no actuals to re-plan from",
    zh: "统计日期 {asOf}：计划尚无已结束的期间（第一个期间于 {first} 结束），没有可据以调整的实际业绩",
  },
  replanNothingLeft: {
    en: "AsOf {asOf}: every period of the plan has ended (the last began on {last}), so nothing is left to re-plan",
    zh: "统计日期 {asOf}：计划的所有期间均已结束（最后一个期间始于 {last}），没有可调整的剩余期间",
  },
  replanTooFine: {
    en: "the revised plan needs amounts to {decimals} decimal places, too many to hold exactly at this size; round the Actuals to fewer decimals",
    zh: "调整后的计划需要保留 {decimals} 位小数，金额过大无法精确保存；请减少实际业绩的小数位数",
  },
  actualOutsidePlan: {
    en: "this actual is dated {date}, outside the plan ({from} to {to})",
    zh: "该实际业绩日期为 {date}，不在计划期间（{from} 至 {to}）之内",
  },
  unplannedMember: {
    en: "\"{member}\" is not in the plan; add it to History or Weights, or include it as unplanned (--unplanned)",
    zh: "「{member}」不在分解计划中；请在历史数据或权重表中加入，或作为未计划业绩计入（--unplanned）",
  },
  negativeActualTotal: {
    en: "returns take {member}'s actual below zero ({actual})",
    zh: "退货使{member}的实际业绩为负（{actual}）",
  },
  noWorkingDays: {
    en: "the plan from {from} to {to} has no working days",
    zh: "计划期间 {from} 至 {to} 没有工作日",
  },

  // ── contract: problems with the workbook's inputs, found before any numbers are planned ──
  formulaWithoutValue: {
    en: "this formula has no saved value: the file was written by a program that does not calculate formulas. Open the workbook in Excel, WPS or LibreOffice, save it, then run again",
    zh: "该公式没有保存计算结果：文件由不计算公式的程序生成。请先用 Excel、WPS 或 LibreOffice 打开并保存该工作簿，再重新运行",
  },
  missingTable: {
    en: "no {table} table or sheet was found; add one named {table} (or {tableZh})",
    zh: "找不到{tableZh}表或工作表；请添加名为「{tableZh}」（或 {table}）的表",
  },
  chosenInputNotFound: {
    en: "the chosen table or sheet \"{name}\" is not in the workbook",
    zh: "所选的表或工作表「{name}」不在工作簿中",
  },
  missingColumn: {
    en: "the {table} table has no {column} column",
    zh: "{tableZh}表缺少「{columnZh}」列",
  },
  duplicateColumn: {
    en: "{column} repeats the column {first}; only the first one is read",
    zh: "「{column}」与「{first}」是同一列；只读取第一列",
  },
  notANumber: {
    en: "{column} is not a number (\"{value}\")",
    zh: "{column}不是数字 (\"{value}\")",
  },
  notADate: {
    en: "{column} is not a date (\"{value}\")",
    zh: "{column}不是日期 (\"{value}\")",
  },
  negativeNumber: {
    en: "{column} cannot be negative ({value})",
    zh: "{column}不能为负数 ({value})",
  },
  missingValue: {
    en: "{column} is empty",
    zh: "{column}为空",
  },
  emptyTargets: {
    en: "the Targets table has no row; give the plan's Period and Target in its first row",
    zh: "目标表没有数据行；请在第一行填写期间和力争目标",
  },
  extraTargetRow: {
    en: "Targets holds one row for the whole plan; this second row is not read, so clear it",
    zh: "目标表只有一行（整个计划）；此第二行不会被读取，请清除",
  },
  missingTarget: {
    en: "Target is empty; give a Target, or a Growth to derive it from History",
    zh: "力争目标为空；请填写力争目标，或填写增长率以从历史数据推算",
  },
  missingPeriod: {
    en: "the plan has no period; give a Period (2027, 2027-Q2, 2027-05) or a Start and an End",
    zh: "计划没有期间；请填写期间（2027、2027-Q2、2027-05）或开始与结束日期",
  },
  badPeriod: {
    en: "Period \"{value}\" is not a year (2027), a quarter (2027-Q2), a month (2027-05) or a date",
    zh: "期间「{value}」不是年（2027）、季度（2027-Q2）、月（2027-05）或日期",
  },
  periodDisagrees: {
    en: "Period {period} runs from {periodStart} to {periodEnd}, but Start and End say {start} to {end}",
    zh: "期间 {period} 为 {periodStart} 至 {periodEnd}，但开始与结束为 {start} 至 {end}",
  },
  endBeforeStart: {
    en: "End {end} is before Start {start}",
    zh: "结束日期 {end} 早于开始日期 {start}",
  },
  badGrowth: {
    en: "Growth must be a number or a percentage above -100% (\"{value}\")",
    zh: "增长率须为大于 -100% 的数字或百分比 (\"{value}\")",
  },
  unknownMetric: {
    en: "Metric \"{metric}\" is not a number column of History (it can be one of: {known})",
    zh: "指标「{metric}」不是历史数据中的数值列（可选：{known}）",
  },
  unknownLevel: {
    en: "\"{level}\" is not a level here (it can be one of: {known})",
    zh: "「{level}」不是可用的分解层级（可选：{known}）",
  },
  badLevels: {
    en: "Levels \"{value}\" names no level; list dimension columns in order, e.g. Region > Team > Rep",
    zh: "分解层级「{value}」没有列出任何层级；请按顺序列出维度列，例如 区域 > 团队 > 销售员",
  },
  duplicateLevel: {
    en: "the level {level} is named twice in Levels",
    zh: "分解层级中「{level}」出现了两次",
  },
  duplicateSetting: {
    en: "the setting {key} is given twice; only the first is read",
    zh: "设置「{key}」出现了两次；只读取第一个",
  },
  badGrain: {
    en: "Grain \"{value}\" is not one of Year, Quarter, Month, Week, Day, Stage",
    zh: "时间粒度「{value}」应为 年、季度、月、周、日 或 阶段",
  },
  badMethod: {
    en: "Method \"{value}\" is not one of History, Equal, Weights",
    zh: "分解方法「{value}」应为 历史、平均 或 权重",
  },
  badUnit: {
    en: "Unit must be a number greater than zero (\"{value}\")",
    zh: "取整单位须为大于零的数字 (\"{value}\")",
  },
  badHistoryYears: {
    en: "HistoryYears must be a whole number of years, at least 1 (\"{value}\")",
    zh: "历史年数须为不小于 1 的整数 (\"{value}\")",
  },
  badFloorRatio: {
    en: "FloorRatio must be a number above 0 and at most 1, e.g. 0.8 or 80% (\"{value}\")",
    zh: "保底系数须大于 0 且不超过 1，例如 0.8 或 80% (\"{value}\")",
  },
  badStretchRatio: {
    en: "StretchRatio must be a number of at least 1, e.g. 1.2 or 120% (\"{value}\")",
    zh: "冲刺系数须不小于 1，例如 1.2 或 120% (\"{value}\")",
  },
  badWorkdays: {
    en: "Workdays \"{value}\" is not one of All, Mon-Fri, Mon-Sat",
    zh: "工作日「{value}」应为 全部、周一至周五 或 周一至周六",
  },
  badFunnel: {
    en: "Funnel \"{value}\" must name at least two stages, each once, ending in Orders (e.g. Invitations > Visits > Orders)",
    zh: "漏斗「{value}」须列出至少两个环节、各一次，并以订单数结尾（例如 邀约数 > 二次进店数 > 订单数）",
  },
  unknownMeasure: {
    en: "\"{name}\" is not a number column of History (it can be one of: {known})",
    zh: "「{name}」不是历史数据中的数值列（可选：{known}）",
  },
  badAsOf: {
    en: "AsOf \"{value}\" is not a date",
    zh: "统计日期「{value}」不是日期",
  },
  badRankBy: {
    en: "RankBy \"{value}\" is not one of Completion, Actual",
    zh: "排名依据「{value}」应为 完成率 或 业绩",
  },
  badPace: {
    en: "Pace needs two thresholds, at risk then behind, the first not below the second, e.g. 0.9, 0.8 (\"{value}\")",
    zh: "进度阈值须为两个数：预警与落后，前者不小于后者，例如 0.9, 0.8 (\"{value}\")",
  },
  stagesRequired: {
    en: "Grain is Stage, but no Stages table or sheet was found",
    zh: "时间粒度为阶段，但找不到阶段表或工作表",
  },
  historyRequired: {
    en: "{what} needs History, and no History table or sheet was found",
    zh: "{whatZh}需要历史数据，但找不到历史表或工作表",
  },
  duplicateMember: {
    en: "{level} \"{member}\" is already in Weights; give each member one row",
    zh: "权重表中已有{level}「{member}」；每个成员只能有一行",
  },
  weightOrLockRequired: {
    en: "{member} has neither a Weight nor a Lock",
    zh: "「{member}」既没有权重也没有锁定金额",
  },
  duplicateStage: {
    en: "the stage \"{stage}\" is already in Stages; give each stage its own name",
    zh: "阶段「{stage}」已存在；每个阶段须有不同的名称",
  },
  stagesOverlap: {
    en: "the stage \"{stage}\" overlaps the stage \"{other}\"",
    zh: "阶段「{stage}」与阶段「{other}」的日期重叠",
  },
  stageOutsidePlan: {
    en: "the stage \"{stage}\" is not inside the plan's period ({from} to {to})",
    zh: "阶段「{stage}」不在计划期间（{from} 至 {to}）之内",
  },
  sheetTooLarge: {
    en: "the {sheet} sheet would need {rows} rows and {columns} columns, more than a worksheet holds; choose a coarser Grain or fewer levels",
    zh: "{sheet}工作表需要 {rows} 行、{columns} 列，超出工作表上限；请选择更粗的时间粒度或更少的分解层级",
  },
  sheetTooWide: {
    en: "the {sheet} sheet would need {columns} columns, more than the 16,384 a worksheet holds; choose a coarser Grain or a shorter plan",
    zh: "{sheet}工作表需要 {columns} 列，超过工作表上限 16,384 列；请选择更粗的时间粒度或缩短计划期间",
  },
  sheetTooManyMembers: {
    en: "the {sheet} sheet would need {rows} rows, more than the 1,048,576 a worksheet holds; plan over fewer Levels or fewer members",
    zh: "{sheet}工作表需要 {rows} 行，超过工作表上限 1,048,576 行；请减少分解层级或成员数",
  },
  // ── funnel and drivers (docs/funnel-and-drivers.md) ───────────────────────────────
  funnelNoOrders: {
    en: "channel \"{channel}\" has no {orders} in History, so its average order value (amount ÷ orders) cannot be worked out",
    zh: "渠道「{channel}」在历史数据中没有{orders}，无法计算其平均单值（销售额 ÷ 订单数）",
  },
  funnelNoAmount: {
    en: "channel \"{channel}\" has a target but no {metric} in History, so its average order value is zero",
    zh: "渠道「{channel}」有目标，但历史数据中没有{metric}，其平均单值为零",
  },
  funnelMissingRate: {
    en: "channel \"{channel}\" has no {from} in History, so the conversion rate {from} → {to} is missing (and every rate before it is zero)",
    zh: "渠道「{channel}」在历史数据中没有{from}，缺少 {from} → {to} 的转化率（其前各环节的转化率为零）",
  },
  driverNoUnits: {
    en: "{dimension} \"{member}\" has a target but no {measure} in History, so its units cannot be worked out",
    zh: "{dimension}「{member}」有目标，但历史数据中没有{measure}，无法计算其数量",
  },
  badAttachRate: {
    en: "the attachment rate of {product} must be a number from 0% to 100%, or History (\"{value}\")",
    zh: "{product}的配套率须为 0% 至 100% 之间的数，或“历史”(\"{value}\")",
  },
  attachNeedsProduct: {
    en: "measuring the attachment rate of {product} needs a product-line column in History; or give a rate such as 30%",
    zh: "从历史数据计算{product}的配套率需要产品线列；或直接填写配套率，例如 30%",
  },
  attachUnknownProduct: {
    en: "\"{product}\" is not a {dimension} in History, so its attachment rate cannot be measured; give a rate such as 30%",
    zh: "历史数据的{dimension}中没有「{product}」，无法计算其配套率；请直接填写配套率，例如 30%",
  },
  attachWithoutOrders: {
    en: "the attachment target of {product} needs {orders} in History",
    zh: "{product}的配套目标需要历史数据中的{orders}",
  },
  unknownDriverColumn: {
    en: "{setting}: \"{name}\" is not a column of History (it can be one of: {known})",
    zh: "{setting}：「{name}」不是历史数据中的列（可选：{known}）",
  },
  driverColumnNotNames: {
    en: "{setting} needs a column of names, and \"{name}\" holds numbers",
    zh: "{settingZh}需要一列名称，但「{name}」中是数字",
  },
  driversNeedOrders: {
    en: "{setting} needs an {orders} column in History",
    zh: "{settingZh}需要历史数据中的订单数列",
  },
  // ── hosts: writing back ───────────────────────────────────────────────────────────
  sheetNotOwned: {
    en: "this sheet was not created by Target Cascade, and an output needs its name; rename or move it, then run again",
    zh: "该工作表不是由目标分解工具创建的，但输出需要使用此名称；请重命名或移走后再运行",
  },
  tableNotOwned: {
    en: "the table \"{table}\" on this sheet was not created by Target Cascade, and an output needs its name; rename it, then run again",
    zh: "此工作表上的表「{table}」不是由目标分解工具创建的，但输出需要使用此名称；请重命名后再运行",
  },
  nameTaken: {
    en: "the workbook already has a defined name \"{name}\", and the output table of that name cannot be added beside it; rename or delete the name (Formulas › Name Manager), then run again",
    zh: "工作簿中已有名称「{name}」，无法再添加同名的输出表；请在“公式 › 名称管理器”中重命名或删除该名称后再运行",
  },
  // ── command line: files that are not workbooks, and output paths (exit 1, nothing written) ──
  fileNotFound: {
    en: "cannot find {file}; check the file's name and folder, then run again",
    zh: "找不到 {file}；请检查文件名和所在文件夹后再运行",
  },
  fileIsFolder: {
    en: "{file} is a folder, not a workbook; give the path of an .xlsx file",
    zh: "{file} 是文件夹，不是工作簿；请给出 .xlsx 文件的路径",
  },
  fileEmpty: {
    en: "{file} is empty (0 bytes); save the workbook again as .xlsx (Excel Workbook), then run again",
    zh: "{file} 是空文件（0 字节）；请重新将工作簿保存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileXls: {
    en: "{file} is an Excel 97–2003 workbook (.xls), which Target Cascade cannot read; save it as .xlsx (Excel Workbook) in Excel, WPS or LibreOffice, then run again",
    zh: "{file} 是 Excel 97–2003 工作簿（.xls），目标分解工具无法读取；请在 Excel、WPS 或 LibreOffice 中另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileXlsEncrypted: {
    en: "{file} is an Excel 97–2003 workbook (.xls) protected by a password; remove the password (File › Info › Protect Workbook › Encrypt with Password), save it as .xlsx (Excel Workbook), then run again",
    zh: "{file} 是设有打开密码的 Excel 97–2003 工作簿（.xls）；请取消密码（文件 › 信息 › 保护工作簿 › 用密码进行加密），另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileEncrypted: {
    en: "{file} is protected by a password, so it cannot be read; remove the password (in Excel: File › Info › Protect Workbook › Encrypt with Password, and clear it; in WPS: File › Document Encryption), save, then run again",
    zh: "{file} 设有打开密码，无法读取；请取消密码（Excel：文件 › 信息 › 保护工作簿 › 用密码进行加密，清空密码；WPS：文件 › 文档加密 › 密码加密），保存后再运行",
  },
  fileOds: {
    en: "{file} is an OpenDocument spreadsheet (.ods); save it as .xlsx (Excel Workbook) in LibreOffice, Excel or WPS (File › Save As), then run again",
    zh: "{file} 是 OpenDocument 电子表格（.ods）；请在 LibreOffice、Excel 或 WPS 中另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileXlsb: {
    en: "{file} is an Excel binary workbook (.xlsb); save it as .xlsx (Excel Workbook) in Excel, then run again",
    zh: "{file} 是 Excel 二进制工作簿（.xlsb）；请在 Excel 中另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileCsv: {
    en: "{file} is comma-separated text (CSV), which holds a single sheet and no tables; open it in Excel, WPS or LibreOffice, put the Targets and History in a workbook, save it as .xlsx (Excel Workbook), then run again",
    zh: "{file} 是逗号分隔的文本文件（CSV），只能包含一张工作表且没有表格；请在 Excel、WPS 或 LibreOffice 中打开，把目标和历史数据放进一个工作簿，另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileText: {
    en: "{file} is a text file, not an Excel workbook; put the Targets and History in a workbook, save it as .xlsx (Excel Workbook), then run again",
    zh: "{file} 是文本文件，不是 Excel 工作簿；请把目标和历史数据放进一个工作簿，另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileHtml: {
    en: "{file} is a web page (HTML), not an Excel workbook, though it may open in Excel; open it in Excel, WPS or LibreOffice, save it as .xlsx (Excel Workbook), then run again",
    zh: "{file} 是网页文件（HTML），不是 Excel 工作簿（尽管 Excel 能打开它）；请在 Excel、WPS 或 LibreOffice 中打开，另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileXml2003: {
    en: "{file} is an XML Spreadsheet 2003 file, not an .xlsx workbook; open it in Excel, WPS or LibreOffice, save it as .xlsx (Excel Workbook), then run again",
    zh: "{file} 是 XML 电子表格 2003 文件，不是 .xlsx 工作簿；请在 Excel、WPS 或 LibreOffice 中打开，另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileTruncated: {
    en: "{file} is cut short: the end of the file is missing, as after an interrupted copy or download; copy or download it again (or open it in Excel and save it again), then run again",
    zh: "{file} 不完整：文件末尾缺失（复制或下载可能中断了）；请重新复制或下载（或在 Excel 中打开后重新保存）后再运行",
  },
  fileDamaged: {
    en: "{file} is damaged ({reason}); open it in Excel, WPS or LibreOffice, save it again as .xlsx (Excel Workbook), then run again",
    zh: "{file} 已损坏（{reason}）；请在 Excel、WPS 或 LibreOffice 中打开，重新另存为 .xlsx（Excel 工作簿）后再运行",
  },
  damagedZip: { en: "its zip directory cannot be read", zh: "压缩包目录无法读取" },
  damagedPart: { en: "its part {part} is missing or cannot be read", zh: "其中的 {part} 缺失或无法读取" },
  fileTooLarge: {
    en: "{file} cannot be read: its part {part} holds {size} MB of XML, more than can be read at once (about 512 MB) — a sheet with more rows than Excel's 1,048,576 or very wide; split it into smaller sheets (or keep only the History the plan needs), then run again",
    zh: "无法读取 {file}：其中的 {part} 有 {size} MB 的 XML，超过一次可读取的上限（约 512 MB）——工作表的行数超过 Excel 的 1,048,576 行或列数过多；请拆分为较小的工作表（或只保留分解所需的历史数据）后再运行",
  },
  fileUnreadable: {
    en: "{file} cannot be read as a workbook ({detail}); open it in Excel, WPS or LibreOffice, save it again as .xlsx (Excel Workbook), then run again",
    zh: "无法将 {file} 作为工作簿读取（{detail}）；请在 Excel、WPS 或 LibreOffice 中打开，重新另存为 .xlsx（Excel 工作簿）后再运行",
  },
  fileZip: {
    en: "{file} is a zip archive, not an Excel workbook (it has no [Content_Types].xml, _rels/.rels or workbook part); run again with the workbook (.xlsx) itself",
    zh: "{file} 是压缩包，不是 Excel 工作簿（其中没有 [Content_Types].xml、_rels/.rels 或工作簿部件）；请直接使用工作簿（.xlsx）再运行",
  },
  fileZipHoldsWorkbook: {
    en: "{file} is a zip archive that holds the workbook {inner}; unzip it, then run again on {inner}",
    zh: "{file} 是压缩包，其中包含工作簿 {inner}；请先解压，再对 {inner} 运行",
  },
  fileOtherDocument: {
    en: "{file} is {what}, not an Excel workbook; run again with the workbook (.xlsx) that holds the Targets and History",
    zh: "{file} 是{what}，不是 Excel 工作簿；请改用包含目标和历史数据的工作簿（.xlsx）再运行",
  },
  fileStrict: {
    en: "{file} is saved as Strict Open XML, which Target Cascade does not write into; save it as .xlsx (Excel Workbook, not Strict Open XML Spreadsheet) in Excel (File › Save As), then run again",
    zh: "{file} 以 Strict Open XML 格式保存，目标分解工具无法写入；请在 Excel 中另存为 .xlsx（Excel 工作簿，而非 Strict Open XML 电子表格）后再运行",
  },
  outputNotMacroEnabled: {
    en: "{file} is a macro-enabled workbook: write it to a path ending in .xlsm (Excel refuses macros in an .xlsx), e.g. --out {suggestion}",
    zh: "{file} 是启用宏的工作簿：输出路径须以 .xlsm 结尾（Excel 不允许 .xlsx 中含宏），例如 --out {suggestion}",
  },
  outputMacroEnabledName: {
    en: "{file} has no macros, so its output must be an .xlsx (Excel refuses an .xlsm that is not macro-enabled), e.g. --out {suggestion}",
    zh: "{file} 不含宏，输出须为 .xlsx（Excel 无法打开不含宏的 .xlsm），例如 --out {suggestion}",
  },
  fileUnknown: {
    en: "{file} is not an Excel workbook (.xlsx); save the workbook as .xlsx (Excel Workbook) in Excel, WPS or LibreOffice, then run again",
    zh: "{file} 不是 Excel 工作簿（.xlsx）；请在 Excel、WPS 或 LibreOffice 中将工作簿另存为 .xlsx（Excel 工作簿）后再运行",
  },
  docWord: { en: "a Word document", zh: "Word 文档" },
  docPowerPoint: { en: "a PowerPoint presentation", zh: "PowerPoint 演示文稿" },
  docVisio: { en: "a Visio drawing", zh: "Visio 绘图" },
  docOdText: { en: "an OpenDocument text document (.odt)", zh: "OpenDocument 文本文档（.odt）" },
  docOdPresentation: { en: "an OpenDocument presentation (.odp)", zh: "OpenDocument 演示文稿（.odp）" },
  docOdDrawing: { en: "an OpenDocument drawing (.odg)", zh: "OpenDocument 绘图（.odg）" },
  docOdOther: { en: "an OpenDocument file", zh: "OpenDocument 文件" },
  docIWork: { en: "an Apple Numbers, Pages or Keynote file (export it from Numbers as Excel first)", zh: "Apple Numbers、Pages 或 Keynote 文件（请先在 Numbers 中导出为 Excel）" },
  docPdf: { en: "a PDF document", zh: "PDF 文档" },
  docImage: { en: "an image", zh: "图片" },
  docRar: { en: "a RAR archive", zh: "RAR 压缩包" },
  docSevenZip: { en: "a 7-Zip archive", zh: "7-Zip 压缩包" },
  docGzip: { en: "a gzip archive", zh: "gzip 压缩包" },
  docOleOther: { en: "an older Office file that is not a workbook", zh: "旧版 Office 文件，而不是工作簿" },
  outputFolderMissing: {
    en: "the folder {folder} for {option} {file} does not exist; create it or choose another {option} path, then run again (nothing was written)",
    zh: "{option} {file} 所在的文件夹 {folder} 不存在；请先创建该文件夹或另选 {option} 路径后再运行（未写入任何文件）",
  },
  outputIsFolder: {
    en: "{option} {file} is a folder; give {option} a file name, such as {example} (nothing was written)",
    zh: "{option} {file} 是文件夹；请为 {option} 给出文件名，例如 {example}（未写入任何文件）",
  },
  outputNotWritten: {
    en: "cannot write {file} ({detail}); check that the folder can be written and the file is not open in another program, then run again",
    zh: "无法写入 {file}（{detail}）；请检查文件夹是否可写、文件是否已在其他程序中打开，然后再运行",
  },
  // ── tracking the process: Actuals by their most specific level, the funnel's actuals, the weekly review ──
  ambiguousMember: {
    en: "\"{member}\" fits more than one member of the plan ({candidates}); add the missing level columns to Actuals",
    zh: "「{member}」对应计划中的多个成员（{candidates}）；请在实际业绩表中加上缺少的层级列",
  },
  ambiguousMemberRows: {
    en: "\"{member}\" fits more than one member of the plan ({candidates}), here and in {more} more rows; add the missing level columns to Actuals",
    zh: "「{member}」对应计划中的多个成员（{candidates}），本行及另外 {more} 行均如此；请在实际业绩表中加上缺少的层级列",
  },
  previousAsOfNotBefore: {
    en: "the previous AsOf {previous} must be before AsOf {asOf}",
    zh: "上期统计日期 {previous} 须早于统计日期 {asOf}",
  },
  badForecast: {
    en: "Forecast \"{value}\" is not one of RunRate, Seasonal",
    zh: "预测依据「{value}」应为 按时间进度 或 按季节",
  },
  badPreviousAsOf: {
    en: "PreviousAsOf \"{value}\" is not a date",
    zh: "上期统计日期「{value}」不是日期",
  },
  unknownActualChannel: {
    en: "the channel \"{channel}\" is not in the funnel (its channels: {known})",
    zh: "渠道「{channel}」不在漏斗中（漏斗的渠道：{known}）",
  },
  negativeStageActual: {
    en: "{stage} is below zero ({value}); a count of the funnel cannot be negative",
    zh: "{stage}为负数（{value}）；漏斗环节的数量不能为负",
  },
  // ── incentives (the Payout table, 激励) and the target letters ──────────────────────────
  badPayoutFrom: {
    en: "From must be a tier (Floor, Target, Stretch) or a completion of the Target such as 120% (\"{value}\")",
    zh: "起点须为档位（保底、力争、冲刺）或力争目标的达成率，如 120%（\"{value}\"）",
  },
  badPayoutRate: {
    en: "Rate must be a share of the actual from 0% to 100% (\"{value}\")",
    zh: "提成比例须为 0% 至 100% 之间的比例（\"{value}\"）",
  },
  payoutRateNegative: {
    en: "Rate is below zero (\"{value}\"); a rate is a share of the actual from 0% to 100%",
    zh: "提成比例小于零（\"{value}\"）；提成比例须为 0% 至 100% 之间",
  },
  badPayoutBonus: {
    en: "Bonus must be an amount of 0 or more (\"{value}\")",
    zh: "奖金须为不小于 0 的金额（\"{value}\"）",
  },
  payoutBandsOutOfOrder: {
    en: "the bands are out of order: {band} starts below {previous}, the band before it; list the bands from the lowest start up",
    zh: "档位顺序有误：{band} 的起点低于其前一档 {previous}；请按起点从低到高排列",
  },
  payoutBandsOverlap: {
    en: "the bands overlap: {band} starts where {previous} starts; give each band its own start",
    zh: "档位重叠：{band} 与 {previous} 的起点相同；每一档须有各自的起点",
  },
  payoutTierMissing: {
    en: "the band {band} starts at {tier}, but the plan has no {tier} tier (it has {tiers})",
    zh: "档位 {band} 以{tier}为起点，但计划中没有该档目标（现有：{tiers}）",
  },
  payoutEmpty: {
    en: "the Payout table has no bands; give each band its From, and a Rate or a Bonus",
    zh: "激励表中没有档位；请为每一档填写起点，以及提成比例或奖金",
  },
  badPayoutMode: {
    en: "PayoutMode \"{value}\" is not one of Whole, Marginal",
    zh: "激励方式「{value}」应为 整额 或 分段",
  },
  badPayoutCap: {
    en: "PayoutCap must be an amount of 0 or more (\"{value}\")",
    zh: "激励封顶须为不小于 0 的金额（\"{value}\"）",
  },
  payoutTableMissing: {
    en: "{setting} is set, but the workbook has no Payout table (a table or sheet named Payout or 激励 with From, Rate and Bonus)",
    zh: "已设置{settingZh}，但工作簿中没有激励表（名为“激励”或 Payout 的表或工作表，含 起点、提成比例、奖金 列）",
  },
  badRankAward: {
    en: "RankAward must be amounts of 0 or more, one per rank, e.g. 3000、2000、1000 (\"{value}\")",
    zh: "排名奖须为每个名次一个不小于 0 的金额，如 3000、2000、1000（\"{value}\"）",
  },
  badRankAwardTop: {
    en: "RankAwardTop must be a whole number of 1 or more (\"{value}\")",
    zh: "排名奖名额须为不小于 1 的整数（\"{value}\"）",
  },
  rankAwardTopWithList: {
    en: "RankAwardTop goes with one RankAward amount, but RankAward lists {count}; give one amount, or leave RankAwardTop empty",
    zh: "排名奖名额须与单个排名奖金额搭配，但排名奖列出了 {count} 个金额；请只写一个金额，或清空排名奖名额",
  },
  rankAwardTopAlone: {
    en: "RankAwardTop is set without a RankAward amount",
    zh: "已设置排名奖名额，但没有排名奖金额",
  },
  tooManyLetters: {
    en: "{members} members need {members} target letters, more than one sheet prints ({max} pages: Excel keeps at most 1,026 page breaks); plan fewer members at a time",
    zh: "{members} 名成员需要 {members} 份目标责任书，超过一张工作表可打印的 {max} 页（Excel 每张表最多 1,026 个分页符）；请分批为较少的成员生成",
  },
  // ── own seasonality, members who join and leave, holds and uplift (docs/planning-depth.md) ──
  badSeasonality: {
    en: "Seasonality must be Shared (every member the plan's seasonality) or Own (each member its own) (\"{value}\")",
    zh: "季节性须为 统一（所有成员共用计划的季节性）或 各自（每个成员按自己的历史）（\"{value}\"）",
  },
  badUplift: {
    en: "an uplift must be a percentage from 0% to 100%, e.g. 10% (\"{value}\")",
    zh: "超额分配须为 0% 至 100% 的百分比，如 10%（\"{value}\"）",
  },
  unknownUpliftLevel: {
    en: "{level} is not a level of the plan, so it cannot be uplifted (the levels: {known})",
    zh: "「{level}」不是分解层级，无法超额分配（分解层级：{known}）",
  },
  duplicateUplift: {
    en: "the {level} level is uplifted twice; its first uplift is at {first}",
    zh: "{level} 层级设置了两次超额分配；第一次在 {first}",
  },
  upliftWithoutLevels: {
    en: "Uplift needs levels to uplift: set Levels, or name the level, e.g. Uplift.Rep",
    zh: "超额分配需要分解层级：请设置分解层级，或写明层级，如 超额分配.销售员",
  },
  badRamp: {
    en: "{column} must be percentages of a full month for the first months, e.g. 25%, 50%, 75% (\"{step}\" is not a number)",
    zh: "{column}须为前几个月各自占满月的百分比，如 25%、50%、75%（\"{step}\" 不是数字）",
  },
  rampAboveFull: {
    en: "{column} cannot be above 100% of a full month (\"{step}\")",
    zh: "{column}不能超过满月的 100%（\"{step}\"）",
  },
  rampBelowZero: {
    en: "{column} cannot be below 0% (\"{step}\")",
    zh: "{column}不能小于 0%（\"{step}\"）",
  },
  memberEndBeforeStart: {
    en: "End {end} is before Start {start} (at {startRef})",
    zh: "离职日期 {end} 早于入职日期 {start}（{startRef}）",
  },
  startAfterPlan: {
    en: "{member} starts on {date}, after the plan ends ({from} to {to}), so would have no target at all",
    zh: "「{member}」的入职日期 {date} 晚于计划结束（{from} 至 {to}），将没有任何目标",
  },
  endBeforePlan: {
    en: "{member} leaves on {date}, before the plan starts ({from} to {to}), so would have no target at all",
    zh: "「{member}」的离职日期 {date} 早于计划开始（{from} 至 {to}），将没有任何目标",
  },
  memberConflict: {
    en: "{member}'s {field} here differs from the one at {other}; give it in one place, or make them the same",
    zh: "「{member}」的{fieldZh}与 {other} 处不一致；请只在一处填写，或使两处相同",
  },
  duplicateMemberRow: {
    en: "{level} \"{member}\" is listed twice; its first row is at {first}",
    zh: "{level}「{member}」重复列出；第一行在 {first}",
  },
  columnNotALevel: {
    en: "{column} is not a level of the plan, so the {table} table cannot use it (the levels: {known})",
    zh: "「{column}」不是分解层级，{table} 表不能使用该列（分解层级：{known}）",
  },
  holdPathGap: {
    en: "{level} is empty, but {below} \"{member}\" is given after it: fill in the {level} above it, or leave both empty to hold the node above",
    zh: "{level}为空，但其后填写了{below}「{member}」：请填写其所属的{level}，或两者都留空以锁定上一级",
  },
  unknownTier: {
    en: "{column} must be Floor, Target or Stretch (保底/力争/冲刺) (\"{value}\")",
    zh: "{column}须为 保底、力争 或 冲刺（\"{value}\"）",
  },
  unknownHoldPeriod: {
    en: "\"{value}\" is not a period of the plan (its periods: {known}); leave it empty to hold the whole plan",
    zh: "\"{value}\" 不是计划的期间（计划的期间：{known}）；留空则锁定整个计划期间",
  },
  duplicateHold: {
    en: "this hold repeats the one at {first} (the same member, period and tier)",
    zh: "该锁定值与 {first} 重复（同一成员、期间和档位）",
  },
  unknownHoldMember: {
    en: "{member} is not a member of the plan at the {level} level (not in History, Weights or Members)",
    zh: "「{member}」不是 {level} 层级的成员（历史数据、权重表和人员表中都没有）",
  },
  upliftNotYetWith: {
    en: "Uplift cannot yet be combined with {what}; plan without one of them",
    zh: "超额分配暂不能与{whatZh}同时使用；请去掉其中之一",
  },
  upliftLockedSiblings: {
    en: "every member under {parent} is locked, so its uplift to {uplifted} has no member to go to",
    zh: "{parent} 下的成员全部锁定，超额分配到 {uplifted} 的部分无人承担",
  },
  upliftReplanPool: {
    en: "with Uplift on {level}, the re-plan shares what is left of each {parent}'s quotas over its members: write {parent} here, or leave it empty",
    zh: "{level}有超额分配时，方法调整按{parentZh}汇总剩余的成员目标再分配：此处请填写 {parentZh} 或留空",
  },
  upliftReplanLevels: {
    en: "the re-plan takes Uplift on one level only; this is a second ({level})",
    zh: "方法调整只支持一个层级的超额分配；此处为第二个（{level}）",
  },
  // ── task pane: a plan setting chosen in the pane (it wins over the Settings table) ────────
  paneSetting: {
    en: "set in the task pane: {message}",
    zh: "任务窗格中的设置：{messageZh}",
  },
  // ── task pane: Rebalance / 重新平衡 (values typed into the Plan Matrix, read as holds) ───────
  rebalanceNotAmountCell: {
    en: "this cell is not an amount of the plan (a name, a heading or an empty row); type new values only into amounts or totals, or undo the change, then Rebalance",
    zh: "此单元格不是分解金额（名称、标题或空行）；请只在金额或合计中填写新值，或撤销修改，再重新平衡",
  },
  rebalanceGrandTotal: {
    en: "the plan's total comes from the Targets table; change it there, or undo the change here",
    zh: "总目标来自目标表；请在目标表中修改，或撤销此处的修改",
  },
  rebalanceEmpty: {
    en: "this cell was cleared; type the amount to hold, or undo the change",
    zh: "此单元格已被清空；请填写要锁定的金额，或撤销修改",
  },
  rebalanceNotNumber: {
    en: "\"{value}\" is not a number; type the amount to hold",
    zh: "「{value}」不是数字；请填写要锁定的金额",
  },
  rebalanceNegative: {
    en: "{amount} is below zero; a held amount is zero or more",
    zh: "{amount} 小于零；锁定金额须大于或等于零",
  },
  rebalanceNotMultipleOfUnit: {
    en: "{amount} is not a multiple of the rounding unit {unit}",
    zh: "{amount} 不是取整单位 {unit} 的整数倍",
  },
  rebalanceMatrixStale: {
    en: "the Plan Matrix here was not written from the plan these inputs give (its members, periods or tiers differ); Write plan first, then type new values and Rebalance",
    zh: "此分解矩阵不是按当前输入写入的（成员、期间或档位不同）；请先生成分解表，再填写新值并重新平衡",
  },
  rebalanceHoldsNoAmount: {
    en: "the {table} table has no Amount column, so holds cannot be kept in it; add the column, or keep the holds unticked",
    zh: "{table} 表没有「金额」列，无法保存锁定值；请添加该列，或不勾选保存锁定值",
  },
  holdNotMultipleOfUnit: {
    en: "the hold {amount} is not a whole multiple of the rounding unit {unit}",
    zh: "锁定值 {amount} 不是取整单位 {unit} 的整数倍",
  },
  holdNotPlanTotal: {
    en: "a hold of the whole plan must be the plan's total {total} (at {other}), not {amount}",
    zh: "整个计划的锁定值须等于总目标 {total}（见 {other}），而不是 {amount}",
  },
  holdAndLockDiffer: {
    en: "{member}'s total is held at {hold} here but locked at {lock} at {other}",
    zh: "此处锁定 {member} 的合计为 {hold}，但 {other} 的锁定金额为 {lock}",
  },
  holdsAboveParent: {
    en: "holds under {parent} add up to {holds}, more than its amount of {available} (at {other})",
    zh: "{parent} 下的锁定值合计 {holds}，超过其金额 {available}（见 {other}）",
  },
  holdsDoNotFill: {
    en: "every member under {parent} is held, but the holds add up to {holds}, not its amount of {available} (at {other})",
    zh: "{parent} 下每个成员都已锁定，但锁定值合计 {holds}，不等于其金额 {available}（见 {other}）",
  },
  holdTiersOutOfOrder: {
    en: "with its holds, {member} no longer keeps Floor ≤ Target ≤ Stretch",
    zh: "锁定后 {member} 不再满足 保底 ≤ 力争 ≤ 冲刺",
  },
  holdsAbovePlan: {
    en: "holds of the plan's periods add up to {holds}, more than the plan's total {total} (at {other})",
    zh: "各期间的锁定值合计 {holds}，超过总目标 {total}（见 {other}）",
  },
  holdsDoNotFillPlan: {
    en: "holds of the plan's periods add up to {holds}, and no other period can take the rest of the total {total} (at {other})",
    zh: "各期间的锁定值合计 {holds}，其余期间无法承担总目标 {total}（见 {other}）的剩余部分",
  },
  holdsAboveRow: {
    en: "holds of {member} in its periods add up to {holds}, more than its amount of {amount} (at {other})",
    zh: "{member} 各期间的锁定值合计 {holds}，超过其金额 {amount}（见 {other}）",
  },
  holdsLeaveNoRoom: {
    en: "holds of {member} add up to {holds}, and none of its other periods can take the rest of its amount {amount} (at {other})",
    zh: "{member} 的锁定值合计 {holds}，其余期间无法承担其金额 {amount}（见 {other}）的剩余部分",
  },
  holdsAbovePeriod: {
    en: "holds under {parent} in {period} add up to {holds}, more than its amount there of {amount} (at {other})",
    zh: "{parent} 在 {period} 的下级锁定值合计 {holds}，超过其该期间金额 {amount}（见 {other}）",
  },
  holdsDoNotFillPeriod: {
    en: "every member under {parent} is held in {period}, but the holds add up to {holds}, not its amount there of {amount} (at {other})",
    zh: "{parent} 在 {period} 的下级成员都已锁定，但合计 {holds}，不等于其该期间金额 {amount}（见 {other}）",
  },
  holdOutsideDates: {
    en: "{member} has no target in {period}: it is outside the member's dates (at {other})",
    zh: "{member} 在 {period} 没有目标：不在其入职至离职期间内（见 {other}）",
  },
  holdsLeaveNoRemainder: {
    en: "the holds leave no free member and period to carry the plan's remainder of {remainder} (the total is not a multiple of the rounding unit)",
    zh: "锁定值使得没有未锁定的成员和期间承担总目标的尾差 {remainder}（总目标不是取整单位的整数倍）",
  },
  memberHasNoPeriods: {
    en: "{member} has an amount but no period to carry it (no pattern in any period of its dates)",
    zh: "{member} 有金额，但在其在职期间没有可承担的期间",
  },
  holdsCannotBalance: {
    en: "the holds cannot all be kept together: the members and periods they leave free cannot carry the rest; lower or remove a hold",
    zh: "这些锁定值无法同时满足：其余成员和期间无法承担剩余部分；请降低或删除某个锁定值",
  },
  periodHasNoMembers: {
    en: "{parent} has an amount in {period}, but none of its members is active then (check their Start and End)",
    zh: "{parent} 在 {period} 有金额，但其成员在该期间都不在职（请检查入职和离职日期）",
  },
  noActiveMembers: {
    en: "no {level} under {parent} is active on any working day of the plan",
    zh: "{parent} 下没有任何{level}在计划的工作日内在职",
  },
};
