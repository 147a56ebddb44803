import fc from "fast-check";
import { cellText, formatDay, parseDate, parseNumber, parsePeriod } from "../../src/contract/parse";
import { day } from "./build";

describe("numbers", () => {
  it.each<[string | number, number]>([
    [1200, 1200],
    [-5, -5],
    ["1200", 1200],
    ["1,200", 1200],
    ["1，200", 1200],
    ["１，２００", 1200],
    ["1,234,567.89", 1234567.89],
    [" 12% ", 0.12],
    ["12.5%", 0.125],
    ["12％", 0.12],
    ["-5", -5],
    ["−5", -5],
    ["+5", 5],
    ["(1,200)", -1200],
    ["¥1,200", 1200],
    ["￥1,200", 1200],
    ["$1,200.50", 1200.5],
    ["-¥5", -5],
    ["¥-5", -5],
    ["1.2万", 12_000],
    ["1.1万", 11_000],
    ["1.2 万", 12_000],
    ["1.2万元", 12_000],
    ["3亿", 300_000_000],
    ["2.5千", 2500],
    ["1200元", 1200],
    ["RMB 5", 5],
    ["1.5百万", 1_500_000],
    ["2千万", 20_000_000],
    ["5‰", 0.005],
    [".5", 0.5],
    ["1e3", 1000],
  ])("%j → %d", (cell, expected) => {
    expect(parseNumber(cell)).toBe(expected);
  });

  it.each<[string | boolean | Date | number]>([
    ["n/a"],
    ["abc"],
    ["1,2"],
    ["12,34,567"],
    ["1.2.3"],
    ["%"],
    ["万"],
    ["--5"],
    ["-¥-5"],
    ["(-5)"],
    [true],
    [new Date(0)],
    [NaN],
    [Infinity],
  ])("%j is not a number", (cell) => {
    expect(parseNumber(cell)).toBeNaN();
  });

  const withSeparators = (n: bigint): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

  it("reads back integers written with thousands separators, ASCII or full-width", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.boolean(), (n, fullWidth) => {
        const negative = n < 0n;
        let text = withSeparators(negative ? -n : n);
        if (fullWidth) text = text.replace(/,/g, "，");
        expect(parseNumber((negative ? "-" : "") + text)).toBe(Number(n));
      }),
    );
  });

  it("reads back decimals written as percentages, 万 and 亿", () => {
    const decimal = fc
      .tuple(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 4 }))
      .map(([units, places]) => (units / 10 ** places).toFixed(places));
    fc.assert(
      fc.property(decimal, fc.constantFrom<[string, number]>(["%", -2], ["万", 4], ["亿", 8], ["", 0]), (text, [suffix, power]) => {
        const [int, frac] = text.split(".");
        const written = withSeparators(BigInt(int)) + (frac ? "." + frac : "") + suffix;
        expect(parseNumber(written)).toBe(Number(`${text}e${power}`));
        const product = Number(text) * 10 ** power;
        expect(Math.abs(parseNumber(written) - product)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(product)));
      }),
    );
  });

  it("keeps numeric cells as they are", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(parseNumber(n)).toBe(n);
      }),
    );
  });
});

describe("dates", () => {
  const one = (iso: string) => ({ start: day(iso), end: day(iso), month: false });

  it.each<[string | number | Date, ReturnType<typeof one>]>([
    [46145, one("2026-05-03")],
    [46145.75, one("2026-05-03")],
    [61, one("1900-03-01")],
    [1, one("1900-01-01")],
    [new Date(Date.UTC(2026, 4, 3)), one("2026-05-03")],
    ["2026-05-03", one("2026-05-03")],
    ["2026/5/3", one("2026-05-03")],
    ["2026.5.3", one("2026-05-03")],
    ["2026年5月3日", one("2026-05-03")],
    ["2026年5月3号", one("2026-05-03")],
    ["２０２６－０５－０３", one("2026-05-03")],
    ["2026-05-03T10:30:00Z", one("2026-05-03")],
    ["2026-05-03 10:30", one("2026-05-03")],
    ["20260503", one("2026-05-03")],
    [20260503, one("2026-05-03")],
  ])("%j is a day", (cell, expected) => {
    expect(parseDate(cell)).toEqual(expected);
  });

  it.each(["2026-05", "2026/05", "2026/5", "2026.05", "2026年5月", "2026年5月份"])("%s is the whole month", (text) => {
    expect(parseDate(text)).toEqual({ start: day("2026-05-01"), end: day("2026-05-31"), month: true });
  });

  it("knows month lengths and leap years", () => {
    expect(parseDate("2028-02")).toEqual({ start: day("2028-02-01"), end: day("2028-02-29"), month: true });
    expect(parseDate("2027-02-29")).toBeUndefined();
    expect(parseDate("2028-02-29")?.start).toBe(day("2028-02-29"));
  });

  it.each<[string | number | boolean]>([
    ["2026-13-01"],
    ["2026-04-31"],
    ["5/3/2026"],
    ["yesterday"],
    ["2026-13"],
    [0],
    [-3],
    [true],
    ["46145"],
  ])("%j is not a date", (cell) => {
    expect(parseDate(cell)).toBeUndefined();
  });

  it("agrees with Excel serials for every day of 1901–2100", () => {
    fc.assert(
      fc.property(fc.integer({ min: day("1901-01-01"), max: day("2100-12-31") }), (d) => {
        expect(parseDate(d + 25569)?.start).toBe(d);
        expect(parseDate(formatDay(d))?.start).toBe(d);
        expect(parseDate(new Date(d * 86_400_000))?.start).toBe(d);
      }),
    );
  });

  it("writes cells as text for names and messages", () => {
    expect(cellText(" Li ")).toBe("Li");
    expect(cellText(12)).toBe("12");
    expect(cellText(new Date(Date.UTC(2026, 4, 3)))).toBe("2026-05-03");
    expect(cellText(null)).toBe("");
  });
});

describe("periods", () => {
  const span = (from: string, to: string) => ({ start: day(from), end: day(to) });

  it.each<[string | number, ReturnType<typeof span>]>([
    [2027, span("2027-01-01", "2027-12-31")],
    ["2027", span("2027-01-01", "2027-12-31")],
    ["2027年", span("2027-01-01", "2027-12-31")],
    ["2027年度", span("2027-01-01", "2027-12-31")],
    ["2027-Q2", span("2027-04-01", "2027-06-30")],
    ["2027Q2", span("2027-04-01", "2027-06-30")],
    ["2027 q2", span("2027-04-01", "2027-06-30")],
    ["Q2 2027", span("2027-04-01", "2027-06-30")],
    ["2027年Q2", span("2027-04-01", "2027-06-30")],
    ["2027年第2季度", span("2027-04-01", "2027-06-30")],
    ["2027年第二季度", span("2027-04-01", "2027-06-30")],
    ["2027年4季度", span("2027-10-01", "2027-12-31")],
    ["2027-H2", span("2027-07-01", "2027-12-31")],
    ["2027年上半年", span("2027-01-01", "2027-06-30")],
    ["2027-05-03", span("2027-05-03", "2027-05-03")],
  ])("%j", (cell, expected) => {
    expect(parsePeriod(cell)).toMatchObject(expected);
  });

  it.each(["2027-05", "2027/5", "2027年5月"])("%s is the month", (text) => {
    expect(parsePeriod(text)).toMatchObject(span("2027-05-01", "2027-05-31"));
  });

  it.each(["next year", "2027-Q5", "27", "2027年第5季度", "2027-H3"])("%s is not a period", (text) => {
    expect(parsePeriod(text)).toBeUndefined();
  });

  it("reads a date cell as its single day", () => {
    expect(parsePeriod(new Date(Date.UTC(2027, 4, 1)))).toMatchObject(span("2027-05-01", "2027-05-01"));
  });
});
