//! `cargo xtask postgres`: a throw-away PostgreSQL server for the tests.
//!
//! The cluster lives in `<target dir>/postgres` (initdb with trust authentication for local
//! connections only, C locale, UTF-8), listens on a free port of 127.0.0.1 and is tuned for
//! throw-away data (fsync off). A server already running there is reused. Run as root (CI), the
//! server runs as the unprivileged `postgres` user (initdb refuses root), created when missing.
//! The binaries are found through `MSP_SYNC_PG_BIN`, `pg_config --bindir`, the newest
//! `/usr/lib/postgresql/*/bin` (Debian's packages) or `PATH`.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const USER: &str = "postgres";

/// Starts the server (or finds it running) and returns its URL.
pub fn start() -> Result<String, String> {
    let place = Place::find()?;
    if let Some(port) = place.running_port() {
        eprintln!(
            "xtask: reusing the PostgreSQL server in {}",
            place.dir.display()
        );
        return Ok(url(port));
    }
    let data = place.dir.join("data");
    if !data.join("PG_VERSION").exists() {
        place.init()?;
    }
    let port = free_port()?;
    place.run(
        "pg_ctl",
        &[
            "-D",
            &path_text(&data)?,
            "-l",
            &path_text(&place.dir.join("server.log"))?,
            "-w",
            "-t",
            "60",
            "-o",
            &format!(
                "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{}' \\
                 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \\
                 -c max_connections=300",
                path_text(&place.dir)?
            ),
            "start",
        ],
    )?;
    fs::write(place.dir.join("port"), port.to_string())
        .map_err(|e| format!("postgres: writing the port file: {e}"))?;
    eprintln!(
        "xtask: PostgreSQL started on 127.0.0.1:{port} (data in {}; `cargo xtask postgres --stop` stops it)",
        data.display()
    );
    Ok(url(port))
}

/// Stops the server when it runs.
pub fn stop() -> Result<(), String> {
    let place = Place::find()?;
    let data = place.dir.join("data");
    if !data.join("postmaster.pid").exists() {
        eprintln!(
            "xtask: no PostgreSQL server runs in {}",
            place.dir.display()
        );
        return Ok(());
    }
    place.run(
        "pg_ctl",
        &["-D", &path_text(&data)?, "-m", "fast", "-w", "stop"],
    )?;
    let _ = fs::remove_file(place.dir.join("port"));
    eprintln!("xtask: PostgreSQL stopped");
    Ok(())
}

fn url(port: u16) -> String {
    format!("postgres://{USER}@127.0.0.1:{port}/postgres")
}

struct Place {
    /// `<target dir>/postgres`.
    dir: PathBuf,
    /// The directory of initdb, pg_ctl, pg_isready.
    bin: PathBuf,
    /// Run the binaries as the `postgres` user (we are root).
    as_user: bool,
}

impl Place {
    fn find() -> Result<Self, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask has no parent directory")?;
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|dir| {
                if dir.is_absolute() {
                    dir
                } else {
                    root.join(dir)
                }
            })
            .unwrap_or_else(|| root.join("target"));
        let mut dir = target.join("postgres");
        fs::create_dir_all(&dir).map_err(|e| format!("postgres: {}: {e}", dir.display()))?;
        let as_user = is_root();
        if as_user {
            ensure_user()?;
            // The server user must reach the directory; under a private home it cannot, so the
            // cluster goes to a directory of its own in /tmp, named after the target directory.
            if !reachable_by_user(&dir) {
                let tag: u64 = target
                    .to_string_lossy()
                    .bytes()
                    .fold(0xcbf2_9ce4_8422_2325, |h, b| {
                        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                    });
                dir = std::env::temp_dir().join(format!("msp-sync-postgres-{tag:016x}"));
                fs::create_dir_all(&dir)
                    .map_err(|e| format!("postgres: {}: {e}", dir.display()))?;
            }
            let owned = Command::new("chown")
                .args(["-R", &format!("{USER}:"), &path_text(&dir)?])
                .status()
                .map_err(|e| format!("postgres: chown: {e}"))?;
            if !owned.success() {
                return Err("postgres: chown of the server directory failed".into());
            }
        }
        Ok(Self {
            dir,
            bin: bin_dir()?,
            as_user,
        })
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_user {
            let mut command = Command::new("runuser");
            command.args(["-u", USER, "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let status = self
            .command(program)
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("postgres: running {program}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            let log = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            Err(format!(
                "postgres: {program} {} failed ({status}); end of server.log:\n{}",
                args.join(" "),
                tail.join("\n")
            ))
        }
    }

    fn init(&self) -> Result<(), String> {
        let data = self.dir.join("data");
        if data.exists() {
            // A half-made cluster from an interrupted run.
            fs::remove_dir_all(&data).map_err(|e| format!("postgres: {e}"))?;
        }
        self.run(
            "initdb",
            &[
                "-D",
                &path_text(&data)?,
                "-U",
                USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )
    }

    /// The port of the server running from this directory, if one answers.
    fn running_port(&self) -> Option<u16> {
        if !self.dir.join("data/postmaster.pid").exists() {
            return None;
        }
        let port: u16 = fs::read_to_string(self.dir.join("port"))
            .ok()?
            .trim()
            .parse()
            .ok()?;
        let ready = self
            .command("pg_isready")
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
            .status()
            .ok()?;
        ready.success().then_some(port)
    }
}

fn path_text(path: &Path) -> Result<String, String> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("postgres: the path {} is not UTF-8", path.display()))
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("postgres: no free port: {e}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| format!("postgres: {e}"))
}

fn reachable_by_user(dir: &Path) -> bool {
    Command::new("runuser")
        .args(["-u", USER, "--", "test", "-x"])
        .arg(dir.parent().unwrap_or(dir))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn ensure_user() -> Result<(), String> {
    let exists = Command::new("id")
        .arg(USER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if exists {
        return Ok(());
    }
    let made = Command::new("useradd")
        .args(["--system", "--user-group", "--no-create-home", USER])
        .status()
        .map_err(|e| format!("postgres: useradd: {e}"))?;
    if made.success() {
        Ok(())
    } else {
        Err(format!("postgres: could not create the user {USER}"))
    }
}

fn bin_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("MSP_SYNC_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let has_initdb = |dir: &Path| dir.join("initdb").is_file();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_initdb(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            has_initdb(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| has_initdb(dir))
        .ok_or_else(|| {
            "postgres: no PostgreSQL binaries found (install the postgresql package, or set \\
             MSP_SYNC_PG_BIN to the directory of initdb)"
                .to_owned()
        })
}
