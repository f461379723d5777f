/** Standards: one file per part of the screen under `./standards/`. */
export { StandardsPage } from "./standards/List"
