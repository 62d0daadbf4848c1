/**
 * The Budget Lens SDK: plain Node, no `vscode`. Everything the CLI, the Budget API server and the
 * extension use comes through here. Internals (exact decimals, PromQL builders, SQL, workers)
 * stay behind their modules.
 */

// Errors with a location (file:line:col)
export { InputError, formatLocation } from './contract/errors';
export type { SourceLocation } from './contract/errors';
export { DEFAULT_MAX_RESPONSE_BYTES } from './contract/boundedBody';

// Budget engine (domain.md F1-F14)
export type {
  BudgetFigures,
  BudgetStatus,
  BudgetWindow,
  Component,
  ComponentCounts,
  CustomTarget,
  DataQualityCode,
  DataQualityWarning,
  KnownComponent,
  SliCounts,
  TargetPercent,
  Urgency,
} from './contract/budgetTypes';
export { computeBudget, computeBudgetFromCounts, budgetMinutes, isLowTraffic, isOverBudget } from './budget/budgetMath';
export type { BudgetOptions } from './budget/budgetMath';
export { BudgetInputError } from './budget/budgetInputError';
export { dateRejection, instantRejection } from './budget/saneTime';
export { DEFAULT_WINDOW, WINDOW_28D, WINDOW_7D, parseWindow, windowDays, windowHours, windowOfMinutes } from './budget/window';
export { DEFAULT_TARGET, allowedFailureRatio, parseTarget, targetProblem } from './budget/target';
export {
  addComponentCounts,
  counterDelta,
  dataQualityWarnings,
  failuresOf,
  measurementsOf,
  sumComponents,
  zeroCounts,
} from './budget/counts';
export {
  DEFAULT_BURN_POLICIES,
  buildBurnRateRows,
  burnFactor,
  burnRate,
  burnRateOf,
  daysToExhaustion,
} from './budget/burnRate';
export type { BurnPolicy, BurnWindowCounts } from './budget/burnRate';
export { BURN_ALERT_POLICIES, BURN_ALERT_WINDOWS, MIN_FAILURES_TO_FIRE, evaluateBurnAlert, minShortMeasurements } from './budget/burnAlert';
export type { BurnAlertPolicy, WindowFailures } from './budget/burnAlert';
export {
  AVAILABILITY_FORMULA,
  availabilityFormulaText,
  availabilityFormulaValues,
  dailySparklineText,
  prometheusGraphUrl,
  sparkline,
  spendParts,
  spendPartsText,
  windowRangeText,
} from './budget/explain';
export type { SpendParts } from './budget/explain';
export { costOfOneFailure, endpointBudgets, endpointSpentMinutes, isBelowTarget, rankEndpoints } from './budget/endpointRanking';
export type { EndpointCategoryContext, RankOptions, ScopeTotals } from './budget/endpointRanking';
export { shareExceedsPercent, trafficShares } from './budget/trafficShare';
export {
  CONTRACT_MIN_SHARE_PERCENT,
  ESCALATE_AFTER_MONTHS,
  SHARED_CAUSE_MAX_GROUPS,
  SIGNIFICANT_SHARE_PERCENT,
  contractAction,
  contractApplies,
  effectiveTarget,
  customTargetState,
  exceptionExpiry,
  isExceptionExpired,
  isSignificantTraffic,
  needsSharedCauseInvestigation,
  reviewDateProblem,
} from './budget/policy';
export {
  APDEX_THRESHOLDS_S,
  DEFAULT_URGENCY,
  apdexThresholdSeconds,
  knownUrgency,
  urgencyFamily,
  urgencyNamesOf,
} from './budget/urgency';
export type { RequestUrgency, SidekiqUrgency, UrgencyFamily } from './budget/urgency';
export {
  NO_DATA_TEXT,
  formatAvailability,
  formatCount,
  formatFactor,
  formatMinutes,
  formatPercent,
  exceptionExpiryText,
  exceptionUntilText,
} from './budget/format';

// Manual adjustments (issue 15 item 3): the scope in words
export { scopeText } from './budget/adjustments';

// Monthly report (pure builder + markdown)
export { buildMonthlyReportFromCounts, compareStageKeys, NOT_IN_CATALOG_STAGE } from './report/monthlyReportBuilder';
export type { MonthCounts, MonthlyReportInput } from './report/monthlyReportBuilder';
export { renderReportDocument, renderReportMarkdown } from './report/reportMarkdown';
export type { ReportDocumentOptions, ReportMarkdownOptions } from './report/reportMarkdown';
export { monthWindow, parseMonth, previousMonthOf, reportWindow, rollingReportWindow, REPORT_DAY_OF_MONTH } from './report/reportWindow';
export type { ReportWindow, ReportWindowMode } from './report/reportWindow';

// Catalog: category -> group -> stage
export type { Catalog, CatalogWarning, CategoryInfo, GroupInfo } from './catalog/types';
export { NOT_OWNED_GROUP, UNKNOWN_CATEGORY } from './catalog/types';
export { loadCatalog, parseCatalog } from './catalog/catalogParser';
export type { CatalogConfigInput, LoadCatalogOptions } from './catalog/catalogParser';
export { GitLabCatalog, isPseudoCategory, notOwnedGroupInfo } from './catalog/gitlabCatalog';
export { normaliseGroupKey } from './catalog/groupKey';
export { closestCategory, editDistance } from './catalog/closestCategory';
export { featureCategoriesSchema, stagesSchema } from './catalog/catalogSchemas';
export { ignoredFieldsNote } from './catalog/catalogParser';
export { findGitLabCheckout, resolveCatalog } from './catalog/defaultCatalog';

// Project config: .budgetlens.yml
export { checkProjectConfig, loadProjectConfig, parseProjectConfig, parseWindowLabel } from './config/projectConfig';
export type { ConfigCheck } from './config/projectConfig';
export { projectConfigSchema } from './config/projectConfigSchema';
export { lintProjectConfig } from './project/configLint';
export { configTemplate } from './project/configTemplate';
export { CONFIG_FILE_NAME, DEFAULT_GRAPE_MOUNT_PREFIX, DEFAULT_STORE_PATH, TOKEN_ENV_VAR } from './config/types';
export type {
  ApiBackendConfig,
  BackendConfig,
  CatalogPaths,
  ConfigLocations,
  ConfiguredAdjustment,
  GroupSettings,
  MappingConfig,
  PathRule,
  ProjectConfig,
  PrometheusBackendConfig,
  PrometheusMode,
  StoreBackendConfig,
  ObjectivesConfig,
  ObjectivePathRule,
} from './config/types';

// Objectives that are not GitLab's (issue 13): OpenSLO v1 files and the native list (docs/objectives.md)
export type {
  BudgetingMethod,
  MetricQuery,
  ObjectiveAlert,
  ObjectiveSli,
  ObjectiveSpec,
  ObjectiveWindow,
} from './objectives/spec';
export { OPENSLO_API_VERSION, CATEGORY_ANNOTATION, GROUP_ANNOTATION, readOpenSlo } from './objectives/openslo';
export type { ObjectivesResult, OpenSloFile, ReadObjectivesOptions } from './objectives/openslo';
export { readObjectiveFiles } from './objectives/objectiveFiles';
export type { ObjectiveFilePattern } from './objectives/objectiveFiles';
export { formatObjectiveFinding } from './objectives/findings';
export type { ObjectiveFinding, ObjectiveFindingCode } from './objectives/findings';
export { objectiveMethodText, objectiveSliText, objectiveTargetText, objectiveWindowText } from './objectives/describe';
export {
  budgetFormulaText,
  budgetLeftShareText,
  budgetLeftText,
  burnRateText,
  firingAlertsText,
  foldedQueries,
  sliCountsText,
  sliFormulaText,
  sliPercentText,
  sliVsTargetText,
  targetPercentText,
} from './objectives/figuresText';
export { loadProjectObjectives } from './config/projectObjectives';
export { openProjectObjectives } from './project/projectObjectives';
export type { ProjectObjectives } from './project/projectObjectives';

// Code -> category mapping and endpoint inventory
export type {
  AttributionSource,
  CategoryRange,
  Endpoint,
  EndpointKind,
  FileMapping,
  Finding,
  FindingCode,
  LineObjectives,
  ObjectiveAttribution,
  ObjectiveRange,
  RangeScope,
} from './mapping/types';
export { initRubyParser, mightDeclare, parseGraphqlOperations, parseRubyFile, resolveRubyFile } from './mapping/ruby';
export type { RubyClassFacts, RubyFileFacts, RubyResolveContext } from './mapping/ruby';
export { rubyParserKind } from './mapping/ruby/parser';
export { thresholdFor, urgencyFor } from './mapping/urgency';
export { attributionRank } from './mapping/index/mappingMerge';
export { ANNOTATED_THRESHOLDS_S, scanAnnotations } from './mapping/annotations';
export type { AnnotationOptions } from './mapping/annotations';
export { GlobRuleMatcher, PathRuleMatcher, compileGlobList, compileObjectivePathRules, compilePathRules, normaliseWorkspacePath } from './mapping/pathRules';
// Objectives attached to code (issue 13 item 2): @slo annotations, objectives.pathRules, categories and groups
export { OBJECTIVE_NAME_RE } from './mapping/annotations';
export { objectiveAttachments, objectiveGroupKey, objectiveRangeAt, objectiveSegments, objectivesAtLine } from './mapping/objectiveAttachment';
export type { ObjectiveAttachmentInput, ObjectiveAttachments, ObjectivePathMatch, ObjectiveSegment, ObjectivesAtLineInput } from './mapping/objectiveAttachment';
export type { PathRuleMatch } from './mapping/pathRules';
export { WorkspaceIndex, categoryAtLine, primaryCategory } from './mapping/index/workspaceIndex';
export type { BuildStats, IndexChangeEvent, IndexListener, UpdateStats, WorkspaceIndexOptions } from './mapping/index/workspaceIndex';
// A project (config + catalog + their findings) opens without the index; openWorkspace adds the index.
export { MissingCatalogError, configFindings, exceptionTrafficFindings, findWorkspaceRoot, openProject, toWorkspacePath } from './project/openProject';
export type { OpenProjectOptions, OpenedProject } from './project/openProject';
// What changed? (issue 14 item 5): the commits that touched an endpoint's code in a window, the day its spend rose
export { commitText, commitsTouching, definitionLines, parseGitLog, spendRiseDay, wholeDays } from './project/gitHistory';
export type { CommitInfo, CommitsTouching, CommitsTouchingOptions, LineRange, SpendRise } from './project/gitHistory';
export { projectCatalogHistory } from './project/projectCatalogHistory';
export type { ProjectCatalogHistory } from './project/projectCatalogHistory';
export { catalogGitHistory } from './project/catalogGitHistory';
export type { CatalogGitHistory, CatalogGitHistoryOptions } from './project/catalogGitHistory';
export { CatalogHistory, catalogDiff, describeCatalogChange } from './catalog/catalogHistory';
export type { CatalogEpoch, EpochSegment } from './catalog/catalogHistory';
export { loadCatalogHistory } from './catalog/catalogHistoryLoader';
export { indexProject, openWorkspace } from './mapping/index/openWorkspace';
export type { IndexProjectOptions, OpenWorkspaceOptions, OpenedWorkspace } from './mapping/index/openWorkspace';
export { collectGarbage } from './mapping/index/releaseMemory';
export { RIPGREP_ENV, findRipgrep, ripgrepPrefilter, vscodeRipgrep } from './mapping/index/ripgrepPrefilter';
export type { RipgrepPrefilterOptions, RipgrepPrefilterResult } from './mapping/index/ripgrepPrefilter';

// Budget sources: raw counts from Prometheus or the embedded store
export type {
  BudgetSource,
  CategoryCounts,
  DailyCounts,
  EndpointCounts,
  EvalOptions,
  GroupCounts,
  Provenance,
  ResultMeta,
  CatalogChange,
  Scope,
  Sourced,
} from './contract/budgetSource';
export { PrometheusSource, configuredPrometheusSource, createPrometheusSource } from './sources/prometheusSource';
export type { PrometheusSourceOptions } from './sources/prometheusSource';
export { PrometheusClient, PrometheusError } from './sources/prometheusClient';
// Objectives from Prometheus (issue 13, docs/objectives.md "Prometheus"): the PromQL built and the engine's figures
export { PrometheusObjectiveEvaluator, evaluatePrometheusObjective, objectiveBurnTiers, prometheusObjectiveBurnDown } from './sources/objectiveSource';
export type { ExplainedQuery, PrometheusObjectiveOptions, PrometheusObjectiveStatus } from './sources/objectiveSource';
export { ObjectiveQueryError } from './sources/objectiveQueries';
export type { PrometheusErrorKind } from './sources/prometheusClient';
export { DEFAULT_METRIC_NAMES } from './sources/prometheusQueries';
export type { MetricNameOverrides, PrometheusMetricNames, SourceMode } from './sources/prometheusQueries';
export { aggregateCategoriesToGroups, sumComponentsByKey } from './budget/rollUp';
export { mappingRuleGroup, recordingRuleGroups, renderMappingRules, renderRecordingRules } from './sources/prometheusRules';
export { openStoreSource } from './store/storeSource';
export type { StoreSource, StoreSourceOptions } from './store/storeSource';
export { StoreError } from './store/storeSchema';
export { ingestFiles } from './store/logIngest';
export type { FileIngestReport, IngestOptions, IngestReport, MalformedLine } from './store/logIngest';
export { writeSampleLogs } from './store/sampleLogs';
export type { SampleLogOptions, SampleLogResult } from './store/sampleLogs';
export { toSampleEndpoint } from './store/sampleLogLines';
export type { SampleEndpoint } from './store/sampleLogLines';
export { checkStore, describeDamagedRow } from './store/storeCheck';
// Objectives from the store (issue 13 item 5, docs/objectives.md "The embedded store"): metric event logs, the evaluator, Gitpod sample events
export { StoreObjectiveEvaluator, openStoreObjectiveEvaluator, STORE_SOURCE_TYPE } from './store/storeObjectives';
export { DEFAULT_BUCKETS } from './store/eventLog';
export { DDSketch, SKETCH_RELATIVE_ACCURACY } from './store/ddSketch';
export { writeGitpodSampleEvents } from './store/sampleEventLogs';
export type { GitpodSampleOptions, GitpodSampleResult } from './store/sampleEventLogs';
export { evaluateObjectiveWith, burnDownWith } from './objectives/objectiveFlow';
export type { ObjectiveCounter } from './objectives/objectiveFlow';

// The Budget API: types, local service, HTTP server, HTTP client
export type {
  ApiResult,
  BudgetApi,
  BurnAlert,
  BurnAlertTier,
  BurnRateRow,
  BurnRatesResult,
  BurnTierEvaluation,
  BurnWindowReading,
  AdjustedFigures,
  AppliedAdjustment,
  CategoryBudget,
  ContractAction,
  DailyRow,
  DailySeries,
  EndpointBudget,
  EndpointBudgets,
  EndpointRow,
  GroupBudget,
  MonthlyReport,
  QueryOptions,
  ReportGroupRow,
  ReportObjectiveRow,
  ScopeAdjustment,
  TopEndpoints,
} from './contract/apiTypes';
export type {
  BurnAlertResult as ObjectiveBurnAlert,
  ObjectiveBudget,
  ObjectiveBurnDownPoint,
  ObjectiveDetail,
  ObjectiveMethodFigures,
  ObjectiveQuery,
  OccurrenceFigures,
  RatioTimesliceFigures,
  TimesliceFigures,
} from './contract/objectiveTypes';
export { BudgetService, mergeMeta } from './service/budgetService';
export type { BudgetServiceOptions } from './service/budgetService';
export { MAX_OBJECTIVE_NAMES, OBJECTIVES_UNSUPPORTED } from './service/budgetService';
export type { ObjectiveEvaluation, ObjectiveEvaluationOptions, ObjectiveEvaluator } from './objectives/evaluator';
export { BackendError, BackendTimeoutError, InvalidQueryError, UnknownScopeError, backendFaultOf } from './contract/serviceErrors';
export type { BackendFault, ReportsBackendFault } from './contract/serviceErrors';
export { INTERNAL_ERROR_MESSAGE, apiErrorAnswer } from './service/apiErrors';
export type { ApiErrorAnswer, ApiErrorFault } from './service/apiErrors';
export { parseAtParam, parseLimitParam, parseMonthParam, parseWindowParam } from './service/queryParams';
export { apiResultSchema, responseSchemas } from './contract/apiSchemas';
export type { JsonSchema, ResponseSchemaName } from './contract/apiSchemas';
export { BACKEND_LABELS, backendDescription, openBudgetBackend, openNetworkBackend } from './backend/openBackend';
export type { BudgetBackendKind, BudgetBackendTarget, NetworkBackendTarget, OpenBudgetBackendOptions, OpenedBudgetBackend } from './backend/openBackend';
export { BudgetServer, stderrLog } from './server/budgetServer';
export { warmUpServer } from './server/warmUp';
export type { WarmUpReport } from './server/warmUp';
export type { BudgetServerOptions, LogSink } from './server/budgetServer';
export { buildOpenApiDocument } from './server/openapi';
export { API_PREFIX, routes } from './server/routes';
export { BudgetApiClient } from './client/budgetApiClient';
export type { BudgetApiClientOptions } from './client/budgetApiClient';
export {
  BadResponseError,
  BudgetApiError,
  InvalidRequestError,
  NotFoundError,
  RequestCancelledError,
  UnauthorizedError,
  UnavailableError,
} from './client/clientErrors';
export { schemaProblem } from './client/responseValidator';
