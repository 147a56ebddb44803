/**
 * What the pane knows about the open workbook, shared by the steps: the cheap listing of its
 * tables (Inputs), the tables as read (read once, kept in memory for the live preview), and the
 * setup remembered in the workbook (loaded once, saved shortly after every change).
 */
import * as React from "react";
import type { AddinHost, DetectedTable, PaneSetup } from "../hosts/addin";
import type { RawTable } from "../hosts/host";
import { emptySetup, readSetup, setupKey } from "./model/setup";
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
  /** Reads every table again (one round trip), keeps them, and gives them back. */
  readTables: () => Promise<RawTable[]>;
  setup: PaneSetup;
  setupReady: boolean;
  updateSetup: (update: (setup: PaneSetup) => PaneSetup) => void;
  saveError?: string;
}

export function useWorkbook(host: AddinHost): WorkbookState {
  const [detected, setDetected] = React.useState<DetectedTable[]>();
  const [detecting, setDetecting] = React.useState(true);
  const [detectError, setDetectError] = React.useState<string>();
  const [tables, setTables] = React.useState<RawTable[]>();
  const [setup, setSetup] = React.useState<PaneSetup>(emptySetup);
  const [setupReady, setSetupReady] = React.useState(false);
  const [saveError, setSaveError] = React.useState<string>();
  const savedKey = React.useRef<string | undefined>(undefined);

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

  const readTables = React.useCallback(async () => {
    const fresh = await host.readTables();
    setTables((cached) => (cached && sameTables(cached, fresh) ? cached : fresh));
    return fresh;
  }, [host]);

  React.useEffect(() => {
    let live = true;
    void refreshDetected();
    host.loadSetup().then(
      (loaded) => {
        if (!live) return;
        const read = readSetup(loaded);
        savedKey.current = setupKey(read);
        setSetup(read);
        setSetupReady(true);
      },
      () => {
        // A setup that cannot be read is no setup: start from the workbook's own settings,
        // and save only once the user changes something.
        if (!live) return;
        savedKey.current = setupKey(emptySetup());
        setSetupReady(true);
      }
    );
    return () => {
      live = false;
    };
  }, [host, refreshDetected]);

  React.useEffect(() => {
    if (!setupReady) return;
    const key = setupKey(setup);
    if (key === savedKey.current) return;
    const timer = window.setTimeout(() => {
      host.saveSetup(setup).then(
        () => {
          savedKey.current = key;
          setSaveError(undefined);
        },
        (e: unknown) => setSaveError(errorMessage(e))
      );
    }, SAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [host, setup, setupReady]);

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
    setup,
    setupReady,
    updateSetup,
    saveError,
  };
}
