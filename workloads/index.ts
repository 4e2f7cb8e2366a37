import { defineWorkloads } from "./program";

export = defineWorkloads();
