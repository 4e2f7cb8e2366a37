import { createInterface } from "readline/promises";
import { RunbookRefusal } from "./context";

/** Asks a yes/no question; resolves true only for an explicit yes. */
export type Confirm = (question: string) => Promise<boolean>;

/**
 * A confirmation on the terminal. Anything but `y` or `yes` is a no, and so is the end of input
 * (Ctrl-D): a question left pending on a closed stream would let Node exit 0 with nothing done.
 */
export function terminalConfirm(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Confirm {
    return async question => {
        const rl = createInterface({ input, output });
        const closed = new Promise<string>(resolve => rl.once("close", () => resolve("")));
        try {
            const answer = await Promise.race([rl.question(`${question} [y/N] `), closed]);
            return /^(y|yes)$/i.test(answer.trim());
        } finally {
            rl.close();
        }
    };
}

/** `--yes`: the operator agreed up front to every "proceed?" question (never to a person's step being done). */
export const alwaysYes: Confirm = async () => true;

/**
 * Standard input is not a terminal and `--yes` was not given: nobody can answer, so the command
 * refuses at its first question, which every command asks before it changes anything.
 */
export function noTerminalConfirm(command: string, stack: string): Confirm {
    return async question => {
        throw new RunbookRefusal(`standard input is not a terminal, so nobody can answer "${question}"; stopped before that step, nothing after it was changed. `
            + `From a script, CI or an SSM session without a terminal, run \`npm run dr -- ${command} --stack ${stack} --yes\` to proceed without asking; or run it from a terminal`);
    };
}
