/**
 * Validation problems, each with its cell (UX.md "Every problem has an address"): a page of
 * `Sheet!A1: message` lines with a Go to cell button each, the first one focused, then
 * "N more" for the rest.
 */
import * as React from "react";
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Text,
  tokens,
} from "@fluentui/react-components";
import type { Problem } from "../engine/problems";
import type { AddinHost } from "../hosts/addin";
import { useLocale } from "./locale";
import { problemLines, problemPage, showMore, PROBLEM_PAGE } from "./model/problems";
import { errorMessage } from "./model/write";

const useStyles = makeStyles({
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  item: {
    display: "flex",
    flexDirection: "column",
    alignItems: "flex-start",
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorPaletteRedBorder2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  text: {
    wordBreak: "break-word",
  },
  more: {
    marginTop: tokens.spacingVerticalS,
  },
});

export interface ProblemListProps {
  problems: readonly Problem[];
  host: AddinHost;
  /** The problems come from a check just run: the first one takes the focus (once). */
  autoFocus?: boolean;
  onAutoFocused?: () => void;
  headingId: string;
  heading: string;
}

export function ProblemList(props: ProblemListProps) {
  const { problems, host, autoFocus, onAutoFocused, headingId, heading } = props;
  const { t, lang } = useLocale();
  const styles = useStyles();
  const lines = React.useMemo(() => problemLines(problems, lang), [problems, lang]);
  const [shown, setShown] = React.useState(PROBLEM_PAGE);
  const [gotoError, setGotoError] = React.useState<string>();
  const buttons = React.useRef<(HTMLElement | null)[]>([]);
  const focusIndex = React.useRef<number | undefined>(undefined);

  React.useEffect(() => {
    setShown(PROBLEM_PAGE);
    setGotoError(undefined);
  }, [problems]);

  React.useEffect(() => {
    if (!autoFocus) return;
    buttons.current[0]?.focus();
    onAutoFocused?.();
  }, [autoFocus, onAutoFocused, problems]);

  React.useEffect(() => {
    if (focusIndex.current === undefined) return;
    buttons.current[focusIndex.current]?.focus();
    focusIndex.current = undefined;
  }, [shown]);

  const page = problemPage(lines, shown);

  const goTo = async (ref: string) => {
    setGotoError(undefined);
    try {
      await host.selectCell(ref);
    } catch (e) {
      setGotoError(t("goToCellFailed", { ref, message: errorMessage(e) }));
    }
  };

  const more = () => {
    focusIndex.current = page.visible.length;
    setShown(showMore(shown, lines.length));
  };

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      <ol className={styles.list}>
        {page.visible.map((line, i) => (
          <li key={line.key} className={styles.item} data-testid="problem">
            <Text className={styles.text}>{line.text}</Text>
            <Button
              size="small"
              data-testid="goto-cell"
              aria-label={t("goToCellLabel", { ref: line.ref })}
              ref={(el) => {
                buttons.current[i] = el;
              }}
              onClick={() => void goTo(line.ref)}
            >
              {t("goToCell")}
            </Button>
          </li>
        ))}
      </ol>
      {page.remaining > 0 ? (
        <Button className={styles.more} appearance="secondary" onClick={more}>
          {t("moreProblems", { count: page.remaining })}
        </Button>
      ) : null}
      {gotoError ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{gotoError}</MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}
