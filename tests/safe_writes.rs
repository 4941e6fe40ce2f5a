//! Writes that cannot lose work: `kill -9` at any moment of `build` leaves each register's
//! previous outputs (or its complete new ones), never a mix or nothing; an output folder that
//! cannot be written, or that overlaps an input, ends in exit 2 naming it; no command changes an
//! input by a byte; and outputs are the same bytes under other time zones, locales and CPU
//! counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ropa_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// Every file under `dir` (hidden ones too) with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// A copy of the example inputs in `dir/inputs`.
fn copy_inputs(dir: &Path) -> PathBuf {
    let inputs = dir.join("inputs");
    for (from, _) in snapshot(&root().join("inputs")) {
        let to = inputs.join(&from);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join("inputs").join(&from), to).unwrap();
    }
    inputs
}

const REGISTERS: [&str; 3] = ["dyflexis", "dealerdesk", "dyflexis-2023"];

#[test]
fn kill_9_during_build_leaves_each_register_old_or_new_never_broken() {
    let dir = tempfile::tempdir().unwrap();
    copy_inputs(dir.path());
    // The previous outputs (English only) and the complete new ones (English and German).
    fn build(out: &'static str, lang: &[&'static str]) -> Vec<&'static str> {
        let mut args = vec!["build", "inputs", "--out", out];
        for l in lang {
            args.extend(["--lang", l]);
        }
        args
    }
    assert!(ropa_in(dir.path(), &build("old", &["en"])).status.success());
    let started = Instant::now();
    assert!(
        ropa_in(dir.path(), &build("new", &["en", "de"]))
            .status
            .success()
    );
    let full = started.elapsed();
    let old: Vec<_> = REGISTERS
        .iter()
        .map(|r| snapshot(&dir.path().join("old").join(r)))
        .collect();
    let new: Vec<_> = REGISTERS
        .iter()
        .map(|r| snapshot(&dir.path().join("new").join(r)))
        .collect();
    assert_ne!(old, new);

    let out = dir.path().join("out");
    let mut outcomes = BTreeMap::<String, usize>::new();
    for step in 1..=10u32 {
        // The previous outputs, as a finished earlier run left them.
        let _ = std::fs::remove_dir_all(&out);
        assert!(ropa_in(dir.path(), &build("out", &["en"])).status.success());
        let mut child = Command::new(env!("CARGO_BIN_EXE_ropa"))
            .args(build("out", &["en", "de"]))
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full * step / 10);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        for (i, register) in REGISTERS.iter().enumerate() {
            let found = snapshot(&out.join(register));
            let outcome = if found == old[i] {
                "old"
            } else if found == new[i] {
                "new"
            } else {
                panic!(
                    "{register} after a kill at {step}/10 of a build is neither the old nor the new outputs: {:?}",
                    found.keys().collect::<Vec<_>>()
                );
            };
            *outcomes.entry(outcome.to_string()).or_default() += 1;
        }
    }
    assert!(
        outcomes.contains_key("old"),
        "some kills land mid-build: {outcomes:?}"
    );
    // The next run finishes the job and leaves nothing aside.
    assert!(
        ropa_in(dir.path(), &build("out", &["en", "de"]))
            .status
            .success()
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), REGISTERS.len(), "{names:?}");
    for (i, register) in REGISTERS.iter().enumerate() {
        assert_eq!(snapshot(&out.join(register)), new[i]);
    }
}

#[test]
fn an_output_folder_that_cannot_be_written_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_inputs(dir.path());
    // A file where the output folder should be.
    std::fs::write(dir.path().join("blocked"), b"not a folder").unwrap();
    let result = ropa_in(dir.path(), &["build", "inputs", "--out", "blocked"]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("blocked"), "{stderr}");
    // A folder without write permission (root writes anyway, so only where that holds).
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let mut permissions = std::fs::metadata(&locked).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o555);
    std::fs::set_permissions(&locked, permissions).unwrap();
    if std::fs::write(locked.join("probe"), b"").is_err() {
        let result = ropa_in(dir.path(), &["build", "inputs", "--out", "locked"]);
        assert_eq!(result.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains("locked"), "{stderr}");
    }
}

#[test]
fn an_output_folder_that_overlaps_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copy_inputs(dir.path());
    let before = snapshot(&inputs);
    for out in ["inputs", "inputs/dealerdesk/out"] {
        let result = ropa_in(dir.path(), &["build", "inputs/dealerdesk", "--out", out]);
        assert_eq!(result.status.code(), Some(2), "--out {out}");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains("overlaps the input"), "{stderr}");
    }
    assert_eq!(snapshot(&inputs), before);
}

#[test]
fn no_command_changes_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copy_inputs(dir.path());
    let fixtures = dir.path().join("fixtures");
    for folder in ["broken", "registers", "lists"] {
        for (file, bytes) in snapshot(&root().join("tests/fixtures").join(folder)) {
            let to = fixtures.join(folder).join(file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, bytes).unwrap();
        }
    }
    let before = (snapshot(&inputs), snapshot(&fixtures));
    let commands: &[&[&str]] = &[
        &["inspect", "inputs/dyflexis.xlsx"],
        &["inspect", "--format", "json", "inputs/dealerdesk"],
        &["inspect", "fixtures/broken"],
        &["inspect", "fixtures/registers"],
        &["check", "inputs"],
        &["check", "--format", "json", "inputs"],
        &["check", "--format", "sarif", "inputs", "fixtures/lists"],
        &["build", "inputs", "--out", "out"],
        &["build", "fixtures/registers", "--out", "out"],
        &["export", "transfers", "inputs", "--out", "out"],
        &["export", "records", "inputs", "--out", "out"],
        &["export", "diagrams", "inputs", "--out", "out"],
        &["check", "out/dyflexis/register.json"],
        &["init", "out"],
    ];
    for args in commands {
        let result = ropa_in(dir.path(), args);
        assert!(
            matches!(result.status.code(), Some(0..=2)),
            "{args:?}: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        assert!(
            (snapshot(&inputs), snapshot(&fixtures)) == before,
            "{args:?} changed an input"
        );
    }
}

#[test]
fn outputs_are_the_same_bytes_under_other_time_zones_locales_and_cpu_counts() {
    let dir = tempfile::tempdir().unwrap();
    copy_inputs(dir.path());
    let run = |out: &str, env: &[(&str, &str)], one_cpu: bool| {
        let mut command = if one_cpu && Path::new("/usr/bin/taskset").exists() {
            let mut c = Command::new("/usr/bin/taskset");
            c.args(["-c", "0", env!("CARGO_BIN_EXE_ropa")]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_ropa"))
        };
        command
            .args(["build", "inputs", "--out", out])
            .current_dir(dir.path())
            .envs(env.iter().copied());
        let result = command.output().unwrap();
        assert!(result.status.success(), "{env:?}");
        snapshot(&dir.path().join(out))
    };
    let reference = run("a", &[("TZ", "UTC"), ("LANG", "C"), ("LC_ALL", "C")], false);
    let elsewhere = run(
        "b",
        &[
            ("TZ", "Pacific/Kiritimati"),
            ("LANG", "de_DE.UTF-8"),
            ("LC_ALL", "tr_TR.UTF-8"),
        ],
        false,
    );
    assert!(
        reference == elsewhere,
        "time zone and locale change outputs"
    );
    let one_cpu = run(
        "c",
        &[("TZ", "America/St_Johns"), ("LC_ALL", "ar_EG.UTF-8")],
        true,
    );
    assert!(reference == one_cpu, "one CPU changes outputs");
}
