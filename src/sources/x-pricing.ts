/**
 * X's pay-per-use rates, in US dollars (its API pricing since 6 February 2026): each post a
 * search returns is billed, and a user object returned with it may be billed as a user read
 * (X's page says "per resource returned"; not confirmed for expansions). X charges a post read
 * twice in one UTC day once, so figures made from these are an upper bound.
 */
export const X_DOLLARS_PER_POST_READ = 0.005;
export const X_DOLLARS_PER_USER_READ = 0.01;
