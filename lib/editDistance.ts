// One implementation, kept in the policy pack: the pack must build from its own folder, and the
// main program may import from it (never the other way round).
export { editDistance } from "../policies/lib/editDistance";
