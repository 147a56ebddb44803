/**
 * What the pane knows about the open workbook, shared by the steps: the cheap listing of its
 * tables (Inputs), the tables as read (read once, kept in memory for the live preview), and the
 * setup remembered in the workbook (loaded once, saved shortly after every change).
 *
 * Reads: the host reads in full only what can be an input — the inputs by their names and the
 * tables the user picked (so a pick is read again at once); every other sheet gives its header row.
 * One read gives the tables, the Inputs step's listing and a fingerprint of the inputs (one request
 * once the pane has listed the workbook): a write checks the fingerprint of the tables its preview
 * came from, in its own first request, instead of reading everything again.
 *
 * Co-authors: a save reads the stored setup again and merges (mergeSetup: my changes since I loaded
 * it, theirs elsewhere), and a co-author's save (the settings' changed event, where Excel has it)
 * is merged into this pane's setup. The workbook's own Settings table is the plan's source of
 * truth whenever no setup is stored.
 */
import * as React from "react";
import type {
  AddinHost,
  DetectedTable,
  PaneSetup,
  ReadFingerprint,
  ReadReport,
} from "../hosts/addin";
import type { RawTable } from "../hosts/host";
import { emptySetup, mergeSetup, readSetup, setupKey } from "./model/setup";
import { errorMessage, sameTables } from "./model/write";

const SAVE_DELAY_MS = 400;

export interface WorkbookState {
  /** The workbook's tables and sheets, once listed. */
  detected?: DetectedTable[];
  detecting: boolean;
  detectError?: string;
  refreshDetected: () => Promise<void>;
  /** The tables as last read; undefined until the first read. */
  tables?: RawTable[];
  /** Reads every input again (one round trip), keeps the tables and the listing, and gives the tables back. */
  readTables: () => Promise<RawTable[]>;
  /** The fingerprint of the read that gave these tables (for the write's change check). */
  fingerprintOf: (tables: readonly RawTable[]) => ReadFingerprint | undefined;
  /** How the last read went: the inputs too large for one read, read in blocks. */
  readReport?: ReadReport;
  setup: PaneSetup;
  setupReady: boolean;
  updateSetup: (update: (setup: PaneSetup) => PaneSetup) => void;
  saveError?: string;
}

const choicesKey = (setup: PaneSetup) => setupKey({ choices: setup.choices, plan: {} });

export function useWorkbook(host: AddinHost): WorkbookState {
  const [detected, setDetected] = React.useState<DetectedTable[]>();
  const [detecting, setDetecting] = React.useState(true);
  const [detectError, setDetectError] = React.useState<string>();
  const [tables, setTables] = React.useState<RawTable[]>();
  const [readReport, setReadReport] = React.useState<ReadReport>();
  const [setup, setSetup] = React.useState<PaneSetup>(emptySetup);
  const [setupReady, setSetupReady] = React.useState(false);
  const [saveError, setSaveError] = React.useState<string>();
  /** The setup as the workbook last held it, to this pane's knowledge (the base of a merge). */
  const saved = React.useRef<PaneSetup>(emptySetup());
  const savedKey = React.useRef<string | undefined>(undefined);
  const latest = React.useRef(setup);
  latest.current = setup;

  const refreshDetected = React.useCallback(async () => {
    setDetecting(true);
    try {
      setDetected(await host.listTables());
      setDetectError(undefined);
    } catch (e) {
      setDetectError(errorMessage(e));
    } finally {
      setDetecting(false);
    }
  }, [host]);

  const fingerprints = React.useRef(new WeakMap<readonly RawTable[], ReadFingerprint>());
  const kept = React.useRef<RawTable[] | undefined>(undefined);
  const readTables = React.useCallback(async () => {
    const read = await host.readWorkbook({ choices: latest.current.choices });
    setReadReport(read.report);
    setDetected(read.detected);
    setDetectError(undefined);
    setDetecting(false);
    fingerprints.current.set(read.tables, read.fingerprint);
    const cached = kept.current;
    // The same tables as before: keep them (the preview stays), with the newer fingerprint.
    if (cached && sameTables(cached, read.tables))
      fingerprints.current.set(cached, read.fingerprint);
    else {
      kept.current = read.tables;
      setTables(read.tables);
    }
    return read.tables;
  }, [host]);

  const fingerprintOf = React.useCallback(
    (t: readonly RawTable[]) => fingerprints.current.get(t),
    []
  );

  const adoptStored = React.useCallback((stored: PaneSetup) => {
    saved.current = stored;
    savedKey.current = setupKey(stored);
  }, []);

  React.useEffect(() => {
    let live = true;
    void refreshDetected();
    host.loadSetup().then(
      (loaded) => {
        if (!live) return;
        const read = readSetup(loaded);
        adoptStored(read);
        setSetup(read);
        setSetupReady(true);
      },
      () => {
        // A setup that cannot be read is no setup: start from the workbook's own settings,
        // and save only once the user changes something.
        if (!live) return;
        adoptStored(emptySetup());
        setSetupReady(true);
      }
    );
    return () => {
      live = false;
    };
  }, [host, refreshDetected, adoptStored]);

  // A co-author saved their setup: take their changes, keep this pane's unsaved ones.
  React.useEffect(() => {
    if (!setupReady || !host.watchSetup) return undefined;
    let live = true;
    let stop: (() => Promise<void>) | undefined;
    const reload = () => {
      host.loadSetup().then(
        (loaded) => {
          if (!live) return;
          const theirs = readSetup(loaded);
          const merged = mergeSetup(saved.current, latest.current, theirs);
          adoptStored(theirs);
          setSetup(merged);
        },
        () => undefined
      );
    };
    host.watchSetup(reload).then(
      (unwatch) => {
        if (live) stop = unwatch;
        else void unwatch();
      },
      () => undefined
    );
    return () => {
      live = false;
      void stop?.().catch(() => undefined);
    };
  }, [host, setupReady, adoptStored]);

  React.useEffect(() => {
    if (!setupReady) return;
    const key = setupKey(setup);
    if (key === savedKey.current) return;
    const timer = window.setTimeout(() => {
      const base = saved.current;
      host
        .saveSetup(setup, (stored) => mergeSetup(base, setup, readSetup(stored)))
        .then(
          (written) => {
            const stored = written ? readSetup(written) : setup;
            adoptStored(stored);
            setSaveError(undefined);
            // A co-author's change came in with the merge: show it.
            if (setupKey(stored) !== key) setSetup(stored);
          },
          (e: unknown) => setSaveError(errorMessage(e))
        );
    }, SAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [host, setup, setupReady, adoptStored]);

  // A table or sheet the user picks is read in full (the last read gave only its header row).
  const picks = choicesKey(setup);
  const firstPicks = React.useRef(picks);
  React.useEffect(() => {
    if (picks === firstPicks.current) return;
    firstPicks.current = picks;
    if (tables) void readTables().catch(() => undefined);
  }, [picks]);

  const updateSetup = React.useCallback((update: (setup: PaneSetup) => PaneSetup) => {
    setSetup((current) => update(current));
  }, []);

  return {
    detected,
    detecting,
    detectError,
    refreshDetected,
    tables,
    readTables,
    fingerprintOf,
    readReport,
    setup,
    setupReady,
    updateSetup,
    saveError,
  };
}
