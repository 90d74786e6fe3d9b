/** Builds the spoken-prompt pack into `<outDir>/prompts/` (see build-prompts.mjs). */
export function buildPromptPack(outDir: string): Promise<{ files: number; spoken: number }>;
