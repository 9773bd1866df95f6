export declare const HEARTH_NODE_FLAGS: string[];
