export * from "./applicationGateway";
export * from "./backupStorage";
export * from "./emergencyBoot";
export * from "./linuxVm";
export * from "./maintenanceSite";
export * from "./mysqlServer";
export * from "./network";
export * from "./secretVault";
