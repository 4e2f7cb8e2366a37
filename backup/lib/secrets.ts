const secrets = new Set<string>();

/** Remembers a secret so `redact` removes it from anything printed. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** Removes registered secrets and any SAS signature or account key from text meant for a log. */
export function redact(text: string): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join("***");
  return result
    .replace(/([?&]sig=)[^&\s"']+/gi, "$1***")
    .replace(/(AccountKey=)[^;\s"']+/gi, "$1***")
    .replace(/(password=)[^\s"';&]+/gi, "$1***");
}
