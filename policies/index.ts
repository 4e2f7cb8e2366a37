import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./pack";
import { allPolicies } from "./rules";

// Constructing the pack starts the analyzer's gRPC server, so nothing else may import this file:
// tests and the offline plan use rules/ and evaluate.ts instead.
new PolicyPack(PACK_NAME, { policies: allPolicies, enforcementLevel: PACK_ENFORCEMENT_LEVEL });
