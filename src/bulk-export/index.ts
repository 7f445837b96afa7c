/** Bulk export: Intercom's content export and reporting data export, from start to rows. */
export { startContentExport, getExportStatus, cancelExport, listReportingDatasets, startReportingExport, toExportJob } from './jobs';
export { waitForExport, DEFAULT_INITIAL_INTERVAL_MS, DEFAULT_MAX_INTERVAL_MS, DEFAULT_MAX_WAIT_MS } from './wait';
export { downloadExport, withDownloadRestarts, collectExportRows, saveExportFiles, assertDownloadable } from './download';
export { readableOf, sniffContainer } from './unpack';
export { CsvParser } from './csv';
export { toUnixRange } from './dates';
export { ExportError } from './errors';
/** Kept here for the library's export list (index.ts); it lives with the gateway's pacing. */
export { abortableSleep } from '../intercom';
export type { ExportErrorCode } from './errors';
export type { WaitForExportOptions } from './wait';
export type { DownloadExportOptions, ExportDownload, RestartOptions } from './download';
export type { StartContentExportOptions, StartReportingExportInput } from './jobs';
export type { ArchiveEvent } from './unpack';
export type { ExportKind, ExportStatus, ExportJob, ExportJobRef, DayRange, ReportingDataset, ExportContainer, ExportRow } from './types';
export { TERMINAL_STATUSES } from './types';
