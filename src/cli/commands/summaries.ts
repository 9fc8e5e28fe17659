/**
 * What `hotpapers --help` lists of each command, in help order: its term (its name, `[options]`
 * and its arguments, as commander writes them) and its description. The root help is made from
 * this list alone, so it loads no command module (~30 ms of its start); each command's module
 * takes its description from here, and a test checks the terms against the commands' own
 * definitions (test/cli/conventions.test.ts).
 */
import { DEMO_DAY } from '../../demo/day.js';

/** A command as the root help lists it. */
export interface CommandSummary {
  term: string;
  description: string;
}

export const SUMMARIES = {
  papers: {
    term: 'papers [options]',
    description: 'list the arXiv papers announced on a mailing day (its new and cross-listed papers)',
  },
  post: {
    term: 'post [options]',
    description: 'list a mailing day, gather posts, rank the papers and write D---Hot-Papers.md',
  },
  explain: {
    term: 'explain [options] <id>',
    description: "show each post's contribution to a paper's score, per source, with the weights and flags",
  },
  site: {
    term: 'site [options]',
    description:
      'build the static website (days, papers, categories, archive, search) and its feeds from the store',
  },
  serve: {
    term: 'serve [options]',
    description: 'preview the website on 127.0.0.1, rebuilt after each finished run (Ctrl-C stops)',
  },
  run: {
    term: 'run [options]',
    description: 'the daily job: post for the latest mailing day, then site, publish and notify as asked',
  },
  backfill: {
    term: 'backfill [options]',
    description: 'write the post of every mailing day from --from to --to (weekends skipped; resumable)',
  },
  listen: {
    term: 'listen [options]',
    description: 'follow Bluesky (Jetstream) and store every post linking an arXiv paper; runs until stopped',
  },
  status: {
    term: 'status [options]',
    description: 'is the daily operation keeping up? recent runs, days due with no post, the listener',
  },
  store: {
    term: 'store',
    description: 'look after the store: info, check, backup (safe while runs write) and compact',
  },
  init: {
    term: 'init [options]',
    description: 'set up daily runs: a GitHub Actions workflow, a cron line or systemd units',
  },
  demo: {
    term: 'demo [options]',
    description: `run the whole pipeline on the bundled ${DEMO_DAY} day against loopback stand-ins (no network, no keys)`,
  },
} as const satisfies Record<string, CommandSummary>;
