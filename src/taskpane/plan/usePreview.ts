/**
 * The live preview: the plan recomputed from the tables in memory whenever the input choices or
 * the plan settings change, at most once per pause in typing (~300 ms). A result that arrives
 * after a newer change is dropped.
 */
import * as React from "react";
import type { PaneSetup } from "../../hosts/addin";
import type { RawTable } from "../../hosts/host";
import { setupKey } from "../model/setup";
import { errorMessage } from "../model/write";
import { planFromTables, type PlanOutcome } from "../pipeline";

export const PREVIEW_DELAY_MS = 300;

export interface PreviewState {
  outcome?: PlanOutcome;
  /** The tables and choices the outcome was computed from: what a write checks the workbook against. */
  tables?: RawTable[];
  choices?: PaneSetup["choices"];
  pending: boolean;
  error?: string;
}

export function usePreview(
  tables: RawTable[] | undefined,
  setup: PaneSetup,
  ready: boolean
): PreviewState {
  const [state, setState] = React.useState<PreviewState>({ pending: true });
  const key = setupKey(setup);
  const latest = React.useRef(setup);
  latest.current = setup;
  const computed = React.useRef(false);

  React.useEffect(() => {
    if (!tables || !ready) return undefined;
    let live = true;
    setState((s) => (s.pending ? s : { ...s, pending: true }));
    const delay = computed.current ? PREVIEW_DELAY_MS : 0;
    const timer = window.setTimeout(() => {
      const { choices, plan } = latest.current;
      planFromTables(tables, { choices, overrides: plan }).then(
        (outcome) => {
          if (!live) return;
          computed.current = true;
          setState({ outcome, tables, choices, pending: false });
        },
        (e: unknown) => {
          if (live) setState({ tables, pending: false, error: errorMessage(e) });
        }
      );
    }, delay);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [tables, key, ready]);

  return state;
}
