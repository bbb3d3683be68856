export type Argv = string[];
