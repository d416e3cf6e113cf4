/** A JSON-serialisable value (user and system attributes are stored as JSON). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json }
