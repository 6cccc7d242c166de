/**
 * Time-series anomaly detection for metric series: pure, online, one
 * configuration for every series. `detectAnomalies` scores a whole series,
 * `createDetector` a stream row by row; `parseSeriesCsv` / `formatScoredCsv`
 * read and write the `timestamp,value[,anomaly_score]` CSV form.
 */
export {
  type CsvSeries,
  formatScoredCsv,
  parseSeriesCsv,
  parseTimestamp,
  SeriesCsvBuilder,
  type SeriesCsvOptions,
} from './csv.js';
export {
  ALARM_SCORE,
  type Alarm,
  CHANNELS,
  type Channel,
  createDetector,
  DEFAULT_DETECTOR_OPTIONS,
  type DetectionResult,
  type DetectorOptions,
  type DetectorStep,
  detectAnomalies,
  type SeriesInput,
  type StreamingDetector,
  scoreOfSurprise,
} from './detector.js';
export { TailCalibrator, type TailCalibratorOptions } from './tail-calibrator.js';
