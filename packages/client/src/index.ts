/**
 * The typed client of the Tenet API. Its types are generated at build time from the committed OpenAPI
 * document (`openapi.json`, kept equal to the server's by a test) with openapi-typescript; requests go
 * through openapi-fetch, so every path, parameter, body and answer is checked by TypeScript.
 */
export { createTenetClient, type TenetClient, type TenetClientOptions } from "./client"
export { collect, type Page, paginate } from "./paginate"
export { isProblem, type Problem, TenetProblem, unwrap } from "./problem"
export type { components, operations, paths } from "./schema.gen"
