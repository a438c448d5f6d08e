// Kysely's view of this feature's tables; composed into Database in db/schema.ts. Filled in as its migration lands.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OrganisationAssessmentTables {}
