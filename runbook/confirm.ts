import { createInterface } from "readline/promises";

/** Asks a yes/no question; resolves true only for an explicit yes. */
export type Confirm = (question: string) => Promise<boolean>;

/** A confirmation on the terminal. Anything but `y` or `yes` is a no. */
export function terminalConfirm(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Confirm {
    return async question => {
        const rl = createInterface({ input, output });
        try {
            const answer = await rl.question(`${question} [y/N] `);
            return /^(y|yes)$/i.test(answer.trim());
        } finally {
            rl.close();
        }
    };
}

/** `--yes`: the operator agreed to everything up front. */
export const alwaysYes: Confirm = async () => true;
