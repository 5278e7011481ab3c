/** The type of a JSON column whose shape the schema does not state. */
export type Json = unknown;
