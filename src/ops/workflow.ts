/**
 * Scheduling recipes: the GitHub Actions workflow `hotpapers init --github-actions` writes,
 * and the cron line and systemd units the README shows. Pure text builders.
 *
 * When: mailing D is announced at 20:00 US Eastern the evening before, so D's 24-hour
 * horizon falls at 20:00 ET on D itself. A run shortly before that (18:30 ET) takes counts
 * about 22.5 h old, the last snapshot before the horizon; `--horizon 24h` then keeps the
 * post fixed at those counts whatever later runs see.
 */

/** How the workflow gets the `hotpapers` command. */
export type InstallMode =
  /** `npm install -g hotpapers@VERSION` (a blog or ops repository). */
  | { kind: 'npm'; version: string }
  /** `npm ci` then a global install of the checkout (a fork of hotpapers itself). */
  | { kind: 'source' };

export interface WorkflowOptions {
  install: InstallMode;
  /** UTC cron expression of the daily run. */
  cron?: string;
  horizon?: '24h' | '72h';
  /** Where the store lives in the runner (cached between runs). */
  storeDir?: string;
}

/** 22:30 UTC Monday–Friday: 18:30 EDT / 17:30 EST, before the day's 24 h horizon (GitHub cron is UTC only). */
export const DEFAULT_CRON = '30 22 * * 1-5';

/** The workflow file, as YAML text. */
export function githubWorkflow(options: WorkflowOptions): string {
  const cron = options.cron ?? DEFAULT_CRON;
  const horizon = options.horizon ?? '24h';
  const storeDir = options.storeDir ?? '.hotpapers';
  const install =
    options.install.kind === 'npm'
      ? `npm install -g hotpapers@${options.install.version}`
      : 'npm ci && npm install -g .';
  return `# Written by \`hotpapers init --github-actions\`. Publishes the Hot Papers post of each arXiv
# mailing day. The run takes the day's counts at ${cron} (UTC), shortly before the ${horizon}
# horizon (20:00 US Eastern on the mailing day), and pushes content/posts/ to
# HOTPAPERS_PUBLISH_REPO (this repository by default).
#
# Settings: repository secrets X_BEARER_TOKEN, BLUESKY_HANDLE, BLUESKY_APP_PASSWORD (each
# optional; a source without credentials is skipped) and HOTPAPERS_GIT_TOKEN (a token allowed
# to push to the publish repository; defaults to this workflow's GITHUB_TOKEN, whose pushes
# do not start other workflows). Repository variables HOTPAPERS_PUBLISH_REPO and
# HOTPAPERS_PUBLISH_BRANCH override where the post goes.
#
# The SQLite store is kept between runs with actions/cache; GitHub drops caches unused for a
# week, after which the next run starts a new store (posts already published stay published)
# and says so with a warning on the run's page.
name: hotpapers

on:
  schedule:
    - cron: '${cron}'
  workflow_dispatch:
    inputs:
      date:
        description: 'Mailing day YYYY-MM-DD (empty: the day nearest its ${horizon} horizon)'
        required: false
        default: ''

permissions:
  contents: write

# One run at a time: a second one waits instead of racing for the store and the branch.
concurrency:
  group: hotpapers
  cancel-in-progress: false

jobs:
  daily:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 20

      - name: Install hotpapers
        run: ${install}

      - name: Day stamp for the store cache
        id: stamp
        run: echo "day=$(date -u +%Y-%m-%d)" >> "$GITHUB_OUTPUT"

      # Caches are immutable, so each run saves under a new key and restores the newest one.
      - name: Restore the store
        uses: actions/cache@v4
        with:
          path: ${storeDir}
          key: hotpapers-store-\${{ steps.stamp.outputs.day }}-\${{ github.run_id }}-\${{ github.run_attempt }}
          restore-keys: |
            hotpapers-store-\${{ steps.stamp.outputs.day }}-
            hotpapers-store-

      # No store came back (the first run, or GitHub dropped the cache after a week unused): this
      # run starts a new one, without the history of the runs before. Said where it shows.
      - name: Say when the store starts anew
        run: |
          if [ ! -f '${storeDir}/hotpapers.db' ]; then
            echo '::warning title=hotpapers::no saved store was restored: this run starts a new one, without the history of earlier runs'
          fi

      - name: Run and publish
        env:
          HOTPAPERS_DB: ${storeDir}/hotpapers.db
          X_BEARER_TOKEN: \${{ secrets.X_BEARER_TOKEN }}
          BLUESKY_HANDLE: \${{ secrets.BLUESKY_HANDLE }}
          BLUESKY_APP_PASSWORD: \${{ secrets.BLUESKY_APP_PASSWORD }}
          HOTPAPERS_PUBLISH_REPO: \${{ vars.HOTPAPERS_PUBLISH_REPO || format('https://github.com/{0}.git', github.repository) }}
          HOTPAPERS_PUBLISH_BRANCH: \${{ vars.HOTPAPERS_PUBLISH_BRANCH || (!vars.HOTPAPERS_PUBLISH_REPO && github.ref_name) || '' }}
          HOTPAPERS_GIT_TOKEN: \${{ secrets.HOTPAPERS_GIT_TOKEN || github.token }}
          GIT_AUTHOR_NAME: hotpapers
          GIT_AUTHOR_EMAIL: 41898282+github-actions[bot]@users.noreply.github.com
          INPUT_DATE: \${{ inputs.date }}
        run: hotpapers run --publish --horizon ${horizon} --log-format json \${INPUT_DATE:+--date "$INPUT_DATE"}
`;
}

/** The weekly backup's command: one rolling copy, replaced whole (store backup renames it into place). */
const BACKUP_COMMAND = 'hotpapers store backup --force backups/hotpapers.db --log-format json';

/**
 * Crontab lines for a machine of one's own (cronie's CRON_TZ pins the time to US Eastern): the
 * daily run, a weekly backup of the store on Sunday night, when no run is due, and a morning
 * `status` whose only output is its one line on stderr when something needs a person (a day
 * with no post, the last run failed, the listener quiet), which cron mails.
 */
export function cronLine(workDir = '/srv/hotpapers'): string {
  return [
    'CRON_TZ=America/New_York',
    `30 18 * * 1-5  cd ${workDir} && hotpapers run --publish --horizon 24h --log-format json >> hotpapers.log 2>&1`,
    `0 3 * * 0  cd ${workDir} && ${BACKUP_COMMAND} >> hotpapers.log 2>&1`,
    `0 9 * * 1-5  cd ${workDir} && hotpapers status > /dev/null`,
  ].join('\n');
}

/**
 * The systemd units: the daily service and its timer (18:30 US Eastern on weekdays), the
 * Bluesky listener, a long-running service restarted whenever it stops (it resumes from its
 * cursor; SIGTERM, systemd's stop signal, saves it), a weekly backup of the store with its
 * timer (Sunday night, when no run is due; the listener goes on writing meanwhile), and a
 * morning `status` with its timer: a unit that fails when something needs a person, as
 * `systemctl --failed` and the journal then show.
 */
export function systemdUnits(workDir = '/srv/hotpapers'): {
  service: string;
  timer: string;
  listener: string;
  backup: string;
  backupTimer: string;
  status: string;
  statusTimer: string;
} {
  return {
    service: `# /etc/systemd/system/hotpapers.service
[Unit]
Description=hotpapers: publish the day's Hot Papers post
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
WorkingDirectory=${workDir}
# Secrets (X_BEARER_TOKEN, BLUESKY_APP_PASSWORD, HOTPAPERS_GIT_TOKEN, …) live in a file readable by this user only.
EnvironmentFile=${workDir}/hotpapers.env
ExecStart=/usr/bin/env hotpapers run --publish --horizon 24h --log-format json
`,
    timer: `# /etc/systemd/system/hotpapers.timer
[Unit]
Description=Run hotpapers on arXiv mailing days, before the 24 h horizon

[Timer]
OnCalendar=Mon..Fri 18:30 America/New_York
Persistent=true
RandomizedDelaySec=120

[Install]
WantedBy=timers.target
`,
    listener: `# /etc/systemd/system/hotpapers-listen.service
[Unit]
Description=hotpapers: follow Bluesky (Jetstream) and store the posts linking arXiv papers
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
WorkingDirectory=${workDir}
# Needs no login; BLUESKY_JETSTREAM_URL and HOTPAPERS_DB may be set here.
EnvironmentFile=-${workDir}/hotpapers.env
ExecStart=/usr/bin/env hotpapers listen --log-format json
# SIGTERM saves the cursor; a crash or a reboot resumes from the last one saved.
KillSignal=SIGTERM
TimeoutStopSec=30
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
`,
    backup: `# /etc/systemd/system/hotpapers-backup.service
[Unit]
Description=hotpapers: a consistent copy of the store in backups/hotpapers.db

[Service]
Type=oneshot
WorkingDirectory=${workDir}
EnvironmentFile=-${workDir}/hotpapers.env
ExecStart=/usr/bin/env ${BACKUP_COMMAND}
`,
    backupTimer: `# /etc/systemd/system/hotpapers-backup.timer
[Unit]
Description=Back up the hotpapers store every week

[Timer]
OnCalendar=Sun 03:00 America/New_York
Persistent=true

[Install]
WantedBy=timers.target
`,
    status: `# /etc/systemd/system/hotpapers-status.service
[Unit]
Description=hotpapers: fails when a day due has no post, the last run failed or the listener is quiet

[Service]
Type=oneshot
WorkingDirectory=${workDir}
EnvironmentFile=-${workDir}/hotpapers.env
ExecStart=/usr/bin/env hotpapers status --log-format json
`,
    statusTimer: `# /etc/systemd/system/hotpapers-status.timer
[Unit]
Description=Check every weekday morning that hotpapers keeps up

[Timer]
OnCalendar=Mon..Fri 09:00 America/New_York
Persistent=true

[Install]
WantedBy=timers.target
`,
  };
}
