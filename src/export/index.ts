/** Bulk export: Intercom's content export and reporting data export, from start to rows. */
export { startContentExport, getExportStatus, cancelExport, listReportingDatasets, startReportingExport, toExportJob } from './jobs';
export { waitForExport, abortableSleep, DEFAULT_INITIAL_INTERVAL_MS, DEFAULT_MAX_INTERVAL_MS, DEFAULT_MAX_WAIT_MS } from './wait';
export { downloadExport, withDownloadRestarts, collectExportRows, saveExportFiles, assertDownloadable, readableOf } from './download';
export { sniffContainer } from './unpack';
export { CsvParser } from './csv';
export { toUnixRange } from './dates';
export { ExportError } from './errors';
export type { ExportErrorCode } from './errors';
export type { WaitForExportOptions } from './wait';
export type { DownloadExportOptions, ExportDownload, RestartOptions } from './download';
export type { StartContentExportOptions, StartReportingExportInput } from './jobs';
export type { ArchiveEvent } from './unpack';
export type { ExportKind, ExportStatus, ExportJob, ExportJobRef, DayRange, ReportingDataset, ExportContainer, ExportRow } from './types';
export { TERMINAL_STATUSES } from './types';
