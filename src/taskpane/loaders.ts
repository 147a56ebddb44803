/**
 * What the first screen does not need is loaded on demand, each in its own chunk: the planning
 * pipeline (contract, engine, report) and the Office.js host. A failed load is retried next time.
 */
import type { AddinHost } from "../hosts/addin";

type Pipeline = typeof import("./pipeline");

let pipeline: Promise<Pipeline> | undefined;

export function loadPipeline(): Promise<Pipeline> {
  if (!pipeline) {
    pipeline = import(/* webpackChunkName: "pipeline" */ "./pipeline");
    pipeline.catch(() => {
      pipeline = undefined;
    });
  }
  return pipeline;
}

/** Whether the workbook has a funnel (which decides whether the Funnel step is shown). */
export function loadFunnelDetect(): Promise<typeof import("./funnel/detect")> {
  return import(/* webpackChunkName: "funnel-detect" */ "./funnel/detect");
}

/** The workbook the pane runs in, through Office.js. */
export async function loadExcelHost(): Promise<AddinHost> {
  const { ExcelHost } = await import(/* webpackChunkName: "excel-host" */ "../hosts/excel");
  return new ExcelHost();
}
