//! The morning peak (part of `bench http`): on the loaded stockholm scale, guardians opening the
//! start page, guardians reporting absence and teachers saving a lesson's attendance, all at
//! once, each part by its own `wrk`. The issue asks for 70 % : 20 % : 10 % of the *requests*;
//! `wrk` cannot pace requests, so the warm-up measures each part's latency and the measured run
//! gives each part connections in proportion to its share times its latency (a slow save needs
//! more connections than its share to make its share of the requests). The unexcused marks make
//! same-day notices, which the server's own job runner composes and mails to a local SMTP server
//! while the mix runs; their rate is read back from the job table.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{psql, wrk, WrkResult, SECONDS, WARM_UP_SECONDS};
use crate::postgres::{self, Cluster};
use crate::{root, Result};

/// The connections of the whole mix: as many as the other measurements'.
const CONNECTIONS: u32 = 32;
/// The parts' shares of the requests the issue names: start page, absence, attendance.
const SHARES: [f64; 3] = [0.70, 0.20, 0.10];
/// Lessons (each with one of its teachers) the attendance part saves in turn.
const LESSONS: u32 = 1000;
/// The longest the notices may take to be mailed after the mix ends.
const DRAIN: Duration = Duration::from_secs(120);

/// The local SMTP server: discards what it is sent (the count is read from the job table).
pub struct MailSink(Child);

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl MailSink {
    /// Starts aiosmtpd (from `tools/python/venv`) on a free port; answers its `smtp://` URL.
    pub fn start() -> Result<(Self, String)> {
        let port = postgres::free_port()?;
        let listen = format!("127.0.0.1:{port}");
        let python = root().join("tools/python/venv/bin/python");
        let child = Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &listen,
                "-c",
                "aiosmtpd.handlers.Sink",
            ])
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start aiosmtpd ({}): {e}", python.display()))?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("the local SMTP server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok((Self(child), format!("smtp://{listen}")))
    }
}

/// The figures of one run of the mix.
pub struct Figures {
    /// The connections each part had in the measured run.
    pub connections: [u32; 3],
    pub start: WrkResult,
    pub absence: WrkResult,
    pub attendance: WrkResult,
    pub attendance_day: String,
    pub emails: u64,
    pub emails_per_second: f64,
    pub drained_seconds: f64,
    pub mail_failures: u64,
}

impl Figures {
    pub fn total_per_second(&self) -> f64 {
        self.start.requests_per_second
            + self.absence.requests_per_second
            + self.attendance.requests_per_second
    }

    /// Whether each part made its share of the requests, within three points.
    pub fn shares_as_asked(&self) -> bool {
        let total = self.total_per_second().max(1.0);
        [&self.start, &self.absence, &self.attendance]
            .iter()
            .zip(SHARES)
            .all(|(part, share)| (part.requests_per_second / total - share).abs() <= 0.03)
    }

    pub fn worst_p99_ms(&self) -> f64 {
        self.start
            .p99_ms
            .max(self.absence.p99_ms)
            .max(self.attendance.p99_ms)
    }

    pub fn print(&self) {
        let total = self.total_per_second().max(1.0);
        for ((name, part), connections) in [
            ("start page (GET)", &self.start),
            ("absence report (POST)", &self.absence),
            ("attendance save (PUT)", &self.attendance),
        ]
        .into_iter()
        .zip(self.connections)
        {
            println!(
                "morning {name:<22} {:>7.0} req/s ({:>2.0} %)  p50 {:>6.2} ms  p99 {:>6.2} ms  ({connections} connections)",
                part.requests_per_second,
                part.requests_per_second / total * 100.0,
                part.p50_ms,
                part.p99_ms
            );
        }
        println!(
            "morning mix in all:             {:>7.0} req/s        worst p99 {:>6.2} ms  (attendance of {})",
            self.total_per_second(),
            self.worst_p99_ms(),
            self.attendance_day
        );
        println!(
            "same-day notices by e-mail:     {:>7.1} /s to SMTP   ({} mails, all sent {:.1} s after the mix, {} failed)",
            self.emails_per_second, self.emails, self.drained_seconds, self.mail_failures
        );
    }
}

/// Runs the mix against the server on `port`, whose guardians' sessions are `bench-<n>` for
/// `1..=sessions`.
pub fn run(cluster: &Cluster, port: u16, work: &Path, sessions: u32) -> Result<Figures> {
    let today = psql(
        cluster,
        "SELECT (now() AT TIME ZONE 'UTC' + interval '1 hour')::date",
    )?;
    let teachers_sessions = teacher_sessions(cluster)?;
    let attendance_day = held_day(cluster, port, &today)?;
    let lessons = lessons_on(cluster, &attendance_day)?;
    if teachers_sessions == 0 || lessons.is_empty() {
        return Err("the stockholm scale has no lessons with teachers".into());
    }

    let start_script = super::guardian_script(work, "start.lua", "/api/start")?;
    let absence_script = absence_script(cluster, work, sessions, &today)?;
    let attendance_script = attendance_script(work, &attendance_day, &lessons)?;
    let base = format!("http://127.0.0.1:{port}");
    let parts = [
        (start_script, format!("{base}/api/start")),
        (absence_script, format!("{base}/api/absence-reports")),
        (attendance_script, format!("{base}/api/timetable/lessons")),
    ];
    let all_at_once = |seconds: u32, connections: [u32; 3]| -> Result<Vec<WrkResult>> {
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .iter()
                .zip(connections)
                .map(|((script, url), c)| {
                    scope.spawn(move || wrk(url, Some(script), seconds, c, 1))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().map_err(|_| "a wrk thread panicked".to_owned())?)
                .collect()
        })
    };
    let first_guess = SHARES.map(|share| ((share * f64::from(CONNECTIONS)).round() as u32).max(1));
    let _ = all_at_once(WARM_UP_SECONDS, first_guess)?;
    // The warm-up wrote the first absence reports, marks and notices into tables the load left
    // empty. A live database's statistics follow its tables (autovacuum analyzes a table after a
    // tenth of it changes, within a minute); here they went from nothing to thousands of rows in
    // seconds, and plans made for empty tables would measure the load, not the server.
    psql(
        cluster,
        "ANALYZE absence_report, attendance_mark, absence_notice_batch, notice, job, access_log",
    )?;
    let calibration = all_at_once(WARM_UP_SECONDS, first_guess)?;
    let connections = connections_for_shares(first_guess, &calibration);
    // Only the notices of the measured seconds count: their mails are enqueued after this.
    let mix_started = psql(cluster, "SELECT now()")?;
    let mut results = all_at_once(SECONDS, connections)?.into_iter();
    let mix_ended = Instant::now();
    let (Some(start), Some(absence), Some(attendance)) =
        (results.next(), results.next(), results.next())
    else {
        return Err("a part of the mix gave no figures".into());
    };
    for (name, result) in [
        ("start page", &start),
        ("absence report", &absence),
        ("attendance save", &attendance),
    ] {
        if result.non_2xx > 0 || result.requests == 0 {
            return Err(format!(
                "{} of the {} {name} requests failed: the benchmark is not valid",
                result.non_2xx, result.requests
            ));
        }
    }

    const OPEN: &str =
        "SELECT COUNT(*) FROM job WHERE kind IN ('compose_absence_notice', 'notice_email') \
                        AND done_at IS NULL AND parked_at IS NULL";
    while count(cluster, OPEN)? > 0 {
        if mix_ended.elapsed() > DRAIN {
            return Err(format!(
                "notices were still unsent {} s after the mix",
                DRAIN.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let drained_seconds = mix_ended.elapsed().as_secs_f64();
    let emails = count(
        cluster,
        &format!("SELECT COUNT(*) FROM job WHERE kind = 'notice_email' AND done_at IS NOT NULL AND created_at >= TIMESTAMPTZ '{mix_started}'"),
    )?;
    let mail_failures = count(
        cluster,
        &format!("SELECT COUNT(*) FROM job WHERE kind = 'notice_email' AND created_at >= TIMESTAMPTZ '{mix_started}' AND (parked_at IS NOT NULL OR attempts > 1)"),
    )?;
    let span: f64 = psql(
        cluster,
        &format!(
            "SELECT COALESCE(EXTRACT(EPOCH FROM MAX(done_at) - TIMESTAMPTZ '{mix_started}'), 0) \
             FROM job WHERE kind = 'notice_email' AND done_at IS NOT NULL AND created_at >= TIMESTAMPTZ '{mix_started}'"
        ),
    )?
    .parse()
    .unwrap_or(0.0);
    if emails == 0 {
        return Err("the mix sent no notices: the benchmark is not valid".into());
    }
    Ok(Figures {
        connections,
        start,
        absence,
        attendance,
        attendance_day,
        emails,
        emails_per_second: emails as f64 / span.max(1.0),
        drained_seconds,
        mail_failures,
    })
}

/// The connections that give each part its share of the requests, from a run with `used`
/// connections that gave `measured`: a part's connections are its requests per second times
/// its latency (Little's law), so each gets `CONNECTIONS` × share × latency / Σ share × latency.
fn connections_for_shares(used: [u32; 3], measured: &[WrkResult]) -> [u32; 3] {
    let latency: Vec<f64> = used
        .iter()
        .zip(measured)
        .map(|(c, r)| f64::from(*c) / r.requests_per_second.max(1.0))
        .collect();
    if latency.len() != 3 {
        return used;
    }
    let weight: f64 = SHARES.iter().zip(&latency).map(|(s, l)| s * l).sum();
    let mut out = used;
    for (i, slot) in out.iter_mut().enumerate() {
        let ideal = f64::from(CONNECTIONS) * SHARES[i] * latency[i] / weight.max(f64::EPSILON);
        *slot = (ideal.round() as u32).max(1);
    }
    out
}

fn count(cluster: &Cluster, sql: &str) -> Result<u64> {
    let text = psql(cluster, sql)?;
    text.parse()
        .map_err(|_| format!("`{sql}` gave {text:?}, not a number"))
}

/// Sessions for every teacher and mentor, as a BankID login would leave them (the cookie token
/// is `teacher-<person id>`). Answers how many.
fn teacher_sessions(cluster: &Cluster) -> Result<u64> {
    psql(
        cluster,
        "INSERT INTO session (id, municipality_id, person_id, auth_method, login_strength, must_change_password, created_at, last_seen_at, expires_at) \
         SELECT encode(sha256(('teacher-' || person_id)::bytea), 'hex'), municipality_id, person_id, 'bankid', 'bankid', false, now(), now(), now() + interval '12 hours' \
         FROM (SELECT DISTINCT person_id, municipality_id FROM group_membership WHERE role IN ('teacher', 'mentor')) t \
         ON CONFLICT (id) DO NOTHING",
    )?;
    count(
        cluster,
        "SELECT COUNT(DISTINCT person_id) FROM group_membership WHERE role IN ('teacher', 'mentor')",
    )
}

/// One lesson on `day` with a teacher who may take its attendance, and its pupils.
struct HeldLesson {
    lesson: String,
    teacher: String,
    pupils: Vec<String>,
}

fn lessons_on(cluster: &Cluster, day: &str) -> Result<Vec<HeldLesson>> {
    let rows = psql(
        cluster,
        &format!(
            "SELECT l.id, t.person_id, string_agg(p.person_id::text, ',' ORDER BY p.person_id) \
             FROM lesson l \
             JOIN LATERAL (SELECT person_id FROM group_membership m WHERE m.group_id = l.group_id \
                 AND m.role IN ('teacher', 'mentor') AND m.start_date <= DATE '{day}' \
                 AND (m.end_date IS NULL OR m.end_date >= DATE '{day}') ORDER BY person_id LIMIT 1) t ON true \
             JOIN group_membership p ON p.group_id = l.group_id AND p.role = 'pupil' \
                 AND p.start_date <= DATE '{day}' AND (p.end_date IS NULL OR p.end_date >= DATE '{day}') \
             WHERE l.weekday = EXTRACT(ISODOW FROM DATE '{day}') AND l.valid_from <= DATE '{day}' \
                 AND (l.valid_to IS NULL OR l.valid_to >= DATE '{day}') \
             GROUP BY l.id, t.person_id ORDER BY l.id LIMIT {LESSONS}"
        ),
    )?;
    Ok(rows
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('|');
            Some(HeldLesson {
                lesson: fields.next()?.to_owned(),
                teacher: fields.next()?.to_owned(),
                pupils: fields.next()?.split(',').map(str::to_owned).collect(),
            })
        })
        .filter(|l| l.pupils.len() >= 2)
        .collect())
}

/// The last school day up to `today` (the server decides, by opening a roster): attendance is
/// taken on the day or after it, never before.
fn held_day(cluster: &Cluster, port: u16, today: &str) -> Result<String> {
    for back in 0..21 {
        let day = psql(
            cluster,
            &format!("SELECT DATE '{today}' - {back} WHERE EXTRACT(ISODOW FROM DATE '{today}' - {back}) <= 5"),
        )?;
        if day.is_empty() {
            continue;
        }
        let Some(first) = lessons_on(cluster, &day)?.into_iter().next() else {
            continue;
        };
        let path = format!("/api/timetable/lessons/{}/attendance/{day}", first.lesson);
        if http_status(port, &path, &format!("teacher-{}", first.teacher))? == 200 {
            return Ok(day);
        }
    }
    Err("no school day in the last three weeks has lessons".into())
}

/// The status of a `GET` with the session cookie `token`.
fn http_status(port: u16, path: &str, token: &str) -> Result<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .map_err(|e| format!("cannot reach the server: {e}"))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: skolportal_session={token}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("cannot ask the server: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("cannot read the server's answer: {e}"))?;
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| "the server's answer has no status".to_owned())
}

/// Each guardian in turn reports one of their children sick today; each submit is new.
fn absence_script(cluster: &Cluster, work: &Path, sessions: u32, today: &str) -> Result<PathBuf> {
    let rows = psql(
        cluster,
        &format!(
            "SELECT rn, child FROM (SELECT s.adult_id, s.rn, MIN(g.child_id::text) AS child \
             FROM (SELECT adult_id, row_number() OVER (ORDER BY adult_id) AS rn \
                   FROM (SELECT DISTINCT adult_id FROM guardianship) d) s \
             JOIN guardianship g ON g.adult_id = s.adult_id \
                 AND g.start_date <= DATE '{today}' AND (g.end_date IS NULL OR g.end_date >= DATE '{today}') \
             WHERE s.rn <= {sessions} GROUP BY s.adult_id, s.rn) c ORDER BY rn"
        ),
    )?;
    let mut table = String::new();
    for line in rows.lines() {
        if let Some((rn, child)) = line.split_once('|') {
            table.push_str(&format!("  {{\"bench-{rn}\", \"{child}\"}},\n"));
        }
    }
    let script = format!(
        "local reports = {{\n{table}}}\nlocal n = 0\nlocal run = os.time() % 4294967296\n\
         request = function()\n  n = n + 1\n  local r = reports[(n % #reports) + 1]\n  \
         local body = string.format('{{\"submission_id\":\"%08x-0000-4000-8000-%012x\",\"child_ids\":[\"%s\"],\
         \"absence\":{{\"first_day\":\"{today}\",\"last_day\":\"{today}\",\"reason\":\"sick\"}}}}', run, n, r[2])\n  \
         return wrk.format(\"POST\", nil, {{[\"Cookie\"] = \"skolportal_session=\" .. r[1], \
         [\"Content-Type\"] = \"application/json\"}}, body)\nend\n"
    );
    write_script(work, "absence.lua", &script)
}

/// Each lesson in turn is saved by its teacher with one pupil away unexcused and one late.
fn attendance_script(work: &Path, day: &str, lessons: &[HeldLesson]) -> Result<PathBuf> {
    let mut table = String::new();
    for l in lessons {
        let pupils: Vec<String> = l.pupils.iter().map(|p| format!("\"{p}\"")).collect();
        table.push_str(&format!(
            "  {{\"teacher-{}\", \"{}\", {{{}}}}},\n",
            l.teacher,
            l.lesson,
            pupils.join(",")
        ));
    }
    let script = format!(
        "local lessons = {{\n{table}}}\nlocal n = 0\n\
         request = function()\n  n = n + 1\n  local l = lessons[(n % #lessons) + 1]\n  \
         local away = l[3][(n % #l[3]) + 1]\n  local late = l[3][((n + 1) % #l[3]) + 1]\n  \
         local body = string.format('{{\"marks\":[{{\"pupil_id\":\"%s\",\"mark\":\"unexcused_absence\"}},\
         {{\"pupil_id\":\"%s\",\"mark\":\"late\",\"late_minutes\":5}}]}}', away, late)\n  \
         return wrk.format(\"PUT\", \"/api/timetable/lessons/\" .. l[2] .. \"/attendance/{day}\", \
         {{[\"Cookie\"] = \"skolportal_session=\" .. l[1], [\"Content-Type\"] = \"application/json\"}}, body)\nend\n"
    );
    write_script(work, "attendance.lua", &script)
}

fn write_script(work: &Path, name: &str, text: &str) -> Result<PathBuf> {
    let path = work.join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
