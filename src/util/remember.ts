/**
 * `make` with its answers remembered: for pure functions asked the same few keys many times (a
 * site build names each category, instant or post address on many pages). At most `limit`
 * answers are kept; past that the map starts again, so a long-lived process stays bounded.
 */
export function remembered<T>(make: (key: string) => T, limit = 4096): (key: string) => T {
  const answers = new Map<string, T>();
  return (key) => {
    const known = answers.get(key);
    if (known !== undefined || answers.has(key)) return known as T;
    if (answers.size >= limit) answers.clear();
    const answer = make(key);
    answers.set(key, answer);
    return answer;
  };
}
