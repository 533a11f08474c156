//! Output files written safely: atomically (a temporary file beside the target, synced, then
//! renamed over it), so that a run that fails or is killed never leaves a truncated file and
//! never destroys the one already there; and never over one of the run's inputs.
//!
//! ```
//! use csindex::output::{refuse_inputs, write_atomic};
//! let dir = std::env::temp_dir().join(format!("csindex-output-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let survey = dir.join("survey.csv");
//! std::fs::write(&survey, "a,b\n1,2\n")?;
//! // `--json survey.csv` by mistake: refused before anything is written.
//! assert!(refuse_inputs(&[survey.as_path()], &[survey.as_path()]).is_err());
//! write_atomic(&dir.join("out.json"), b"{}")?;
//! assert_eq!(std::fs::read(dir.join("out.json"))?, b"{}");
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A file being written: bytes go to a temporary file in the target's directory, and
/// [`AtomicFile::commit`] renames it over the target. Dropped without a commit (an error, a
/// panic), it removes the temporary file and leaves the target as it was.
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    out: Option<std::io::BufWriter<std::fs::File>>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.display().to_string(),
        source: e,
    }
}

impl AtomicFile {
    /// Starts writing `target` (its directory must exist).
    ///
    /// # Errors
    /// [`Error::Io`] naming the target when the temporary file cannot be created.
    pub fn create(target: impl AsRef<Path>) -> Result<AtomicFile> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let target = target.as_ref().to_path_buf();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let temp = target.with_file_name(format!(
            ".{name}.{}-{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(io(&target))?;
        Ok(AtomicFile {
            target,
            temp,
            out: Some(std::io::BufWriter::new(file)),
        })
    }

    /// Flushes and syncs the bytes, then renames the temporary file over the target.
    ///
    /// # Errors
    /// [`Error::Io`] naming the target; the temporary file is then removed.
    pub fn commit(mut self) -> Result<()> {
        let Some(out) = self.out.take() else {
            return Ok(());
        };
        let done = out
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&self.temp, &self.target));
        if let Err(e) = done {
            let _ = std::fs::remove_file(&self.temp);
            return Err(io(&self.target)(e));
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.out {
            Some(o) => o.write(buf),
            None => Err(std::io::Error::other("the file is already committed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.out {
            Some(o) => o.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to `path` atomically (see [`AtomicFile`]).
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes).map_err(io(path))?;
    f.commit()
}

/// Whether two paths name the same existing file (the same device and inode on Unix, the
/// same canonical path elsewhere).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = (&ma, &mb);
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

/// Refuses outputs that would replace one of the inputs (a survey given as `--json` by
/// mistake), or each other, before anything is written. An input inside a directory (a
/// Parquet directory) is protected too: no output may be written inside it.
///
/// # Errors
/// [`Error::OutputIsInput`] naming the output and the input (or the other output).
pub fn refuse_inputs<A: AsRef<Path>, B: AsRef<Path>>(outputs: &[A], inputs: &[B]) -> Result<()> {
    for (k, out) in outputs.iter().enumerate() {
        let out = out.as_ref();
        for input in inputs {
            let input = input.as_ref();
            let inside = input.is_dir()
                && out
                    .parent()
                    .is_some_and(|d| same_file(d, input) || d.starts_with(input));
            if same_file(out, input) || inside || out == input {
                return Err(Error::OutputIsInput {
                    output: out.display().to_string(),
                    input: input.display().to_string(),
                });
            }
        }
        for other in &outputs[..k] {
            let other = other.as_ref();
            if other == out || same_file(other, out) {
                return Err(Error::OutputIsInput {
                    output: out.display().to_string(),
                    input: format!("{} (another output)", other.display()),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("csindex-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("out.json");
        std::fs::write(&p, "old").unwrap();
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"half of the new").unwrap();
            // dropped without commit: a failure mid-way
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
        // Over an input, through another name of it: refused.
        let other = dir.join(".").join("out.json");
        let e = refuse_inputs(&[other.as_path()], &[p.as_path()]).unwrap_err();
        assert!(matches!(e, Error::OutputIsInput { .. }), "{e}");
        let e = refuse_inputs(&[dir.join("a"), dir.join("a")], &[p.as_path()]);
        assert!(e.is_err());
        assert!(refuse_inputs(&[dir.join("b").as_path()], &[p.as_path()]).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
