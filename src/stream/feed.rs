//! Reading a CSV source block by block (whole records only), and the ordered parallel
//! pipeline that parses the blocks.

use super::scan;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc;
use std::sync::Mutex;

/// Whole records of the source, and the line the first one starts on.
pub(crate) struct Block {
    pub(crate) bytes: Vec<u8>,
    pub(crate) first_line: u64,
}

/// The header of a source.
pub(crate) struct Header {
    pub(crate) names: Vec<String>,
    pub(crate) delimiter: u8,
}

/// Reads a source in blocks of whole records, with bounded memory.
pub(crate) struct Feeder<R: Read> {
    reader: R,
    path: String,
    /// File length when opened, and the file (to see it change), for a file source.
    file: Option<(std::fs::File, u64)>,
    read_total: u64,
    buf: Vec<u8>,
    eof: bool,
    /// Line the next block starts on.
    line: u64,
    block_bytes: usize,
    max_record: usize,
    delimiter: u8,
}

impl<R: Read> Feeder<R> {
    pub(crate) fn new(
        reader: R,
        path: &str,
        file: Option<(std::fs::File, u64)>,
        block_bytes: usize,
        max_record: usize,
    ) -> Feeder<R> {
        Feeder {
            reader,
            path: path.to_string(),
            file,
            read_total: 0,
            buf: Vec::new(),
            eof: false,
            line: 1,
            block_bytes,
            max_record,
            delimiter: b',',
        }
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::Io {
            path: self.path.clone(),
            source: e,
        }
    }

    /// Reads up to one more block of bytes into the buffer (sets `eof` at the end).
    fn fill(&mut self) -> Result<()> {
        let start = self.buf.len();
        self.buf.resize(start + self.block_bytes, 0);
        let mut got = 0;
        while got < self.block_bytes {
            match self.reader.read(&mut self.buf[start + got..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(k) => got += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(start + got);
                    return Err(self.io(e));
                }
            }
        }
        self.buf.truncate(start + got);
        self.read_total += got as u64;
        if let Some((file, len)) = &self.file {
            let grew = self.read_total > *len;
            let now = file.metadata().map(|m| m.len()).unwrap_or(*len);
            if grew || (self.eof && (self.read_total != *len || now != *len)) {
                return Err(Error::FileChanged {
                    path: self.path.clone(),
                    message: format!(
                        "{len} bytes when opened, {} read, {now} now",
                        self.read_total
                    ),
                });
            }
        }
        Ok(())
    }

    /// Reads the header (the delimiter is the given one or detected from the first line).
    pub(crate) fn header(&mut self, delimiter: Option<u8>) -> Result<Header> {
        loop {
            // Blank lines before the header are skipped, as the CSV reader does.
            let blank = self
                .buf
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            if blank > 0 {
                self.line += scan::count_lines(&self.buf[..blank]);
                self.buf.drain(..blank);
            }
            if !self.buf.is_empty() {
                let d = delimiter.unwrap_or_else(|| crate::data::detect_delimiter(&self.buf));
                let end = scan::first_boundary(&self.buf, d);
                let bom = crate::data::encoding::check_streamable(
                    &self.buf,
                    end.unwrap_or(self.buf.len()),
                )?;
                if bom > 0 {
                    self.buf.drain(..bom);
                    continue;
                }
                if end.is_some() || self.eof {
                    let end = end.unwrap_or(self.buf.len());
                    let (_, names) = crate::data::csv_with_header(&self.buf[..end], d)?;
                    self.line += scan::count_lines(&self.buf[..end]);
                    self.buf.drain(..end);
                    self.delimiter = d;
                    return Ok(Header {
                        names,
                        delimiter: d,
                    });
                }
                if self.buf.len() > self.max_record {
                    return Err(self.too_long());
                }
            } else if self.eof {
                return Err(Error::EmptyFile);
            }
            self.fill()?;
        }
    }

    fn too_long(&self) -> Error {
        Error::RecordTooLong {
            path: self.path.clone(),
            line: self.line,
            limit: self.max_record,
        }
    }

    /// The next block of whole records (`None` at the end).
    pub(crate) fn next_block(&mut self) -> Result<Option<Block>> {
        loop {
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                if self.buf.len() > self.max_record
                    && scan::last_boundary(&self.buf, self.delimiter).is_none()
                {
                    return Err(self.too_long());
                }
                let bytes = std::mem::take(&mut self.buf);
                return Ok(Some(self.block(bytes)));
            }
            self.fill()?;
            if self.eof {
                continue;
            }
            match scan::last_boundary(&self.buf, self.delimiter) {
                Some(b) => {
                    let rest = self.buf.split_off(b);
                    let bytes = std::mem::replace(&mut self.buf, rest);
                    return Ok(Some(self.block(bytes)));
                }
                None if self.buf.len() > self.max_record => return Err(self.too_long()),
                None => {}
            }
        }
    }

    fn block(&mut self, bytes: Vec<u8>) -> Block {
        let first_line = self.line;
        self.line += scan::count_lines(&bytes);
        Block { bytes, first_line }
    }
}

/// Parses blocks on `threads` worker threads with `work`, and hands the results to `sink` in
/// block order (so results do not depend on the number of threads). At most a few blocks per
/// thread are in memory at once. `sink` returns `Ok(false)` to stop early.
pub(crate) fn pipeline<R, T, W, S>(
    feeder: &mut Feeder<R>,
    threads: usize,
    work: W,
    mut sink: S,
) -> Result<()>
where
    R: Read,
    T: Send,
    W: Fn(&Block) -> T + Sync,
    S: FnMut(T) -> Result<bool>,
{
    let threads = threads.max(1);
    if threads == 1 {
        // One thread: each block parsed where it is read (no worker, no channel).
        while let Some(block) = feeder.next_block()? {
            if !sink(work(&block))? {
                break;
            }
        }
        return Ok(());
    }
    let max_ahead = 4 * threads;
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Block)>(threads);
    let work_rx = Mutex::new(work_rx);
    let (res_tx, res_rx) = mpsc::channel::<(usize, T)>();
    let (work_rx, work) = (&work_rx, &work);
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..threads {
            let res_tx = res_tx.clone();
            scope.spawn(move || loop {
                let job = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((i, block)) = job else { return };
                if res_tx.send((i, work(&block))).is_err() {
                    return;
                }
            });
        }
        drop(res_tx);
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let (mut sent, mut next) = (0usize, 0usize);
        let mut deliver = |pending: &mut BTreeMap<usize, T>, next: &mut usize| -> Result<bool> {
            while let Some(t) = pending.remove(next) {
                *next += 1;
                if !sink(t)? {
                    return Ok(false);
                }
            }
            Ok(true)
        };
        (|| -> Result<()> {
            loop {
                // Keep at most `max_ahead` blocks between the reader and the sink.
                while sent - next >= max_ahead {
                    let (i, t) = res_rx.recv().map_err(|_| stopped())?;
                    pending.insert(i, t);
                    if !deliver(&mut pending, &mut next)? {
                        return Ok(());
                    }
                }
                let Some(block) = feeder.next_block()? else {
                    break;
                };
                if work_tx.send((sent, block)).is_err() {
                    break;
                }
                sent += 1;
                while let Ok((i, t)) = res_rx.try_recv() {
                    pending.insert(i, t);
                }
                if !deliver(&mut pending, &mut next)? {
                    return Ok(());
                }
            }
            drop(work_tx);
            while next < sent {
                let (i, t) = res_rx.recv().map_err(|_| stopped())?;
                pending.insert(i, t);
                if !deliver(&mut pending, &mut next)? {
                    return Ok(());
                }
            }
            Ok(())
        })()
    })
}

fn stopped() -> Error {
    Error::invalid(
        "stream",
        "a worker thread stopped before its block was parsed",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feeder_expecting(len_delta: i64) -> (Feeder<std::fs::File>, std::path::PathBuf) {
        let p = std::env::temp_dir().join(format!(
            "csindex-feed-{}-{len_delta}.csv",
            std::process::id()
        ));
        std::fs::write(&p, "a,b\n1,2\n3,4\n5,6\n").unwrap();
        let f = std::fs::File::open(&p).unwrap();
        let len = f.metadata().unwrap().len() as i64 + len_delta;
        let watch = f.try_clone().unwrap();
        (
            Feeder::new(f, "t.csv", Some((watch, len as u64)), 4096, 1 << 20),
            p,
        )
    }

    /// A file longer or shorter than when it was opened (it grew or shrank while read).
    #[test]
    fn a_file_that_changes_is_an_error() {
        for delta in [-5, 5] {
            let (mut f, p) = feeder_expecting(delta);
            let mut err = None;
            match f.header(None) {
                Err(e) => err = Some(e),
                Ok(_) => loop {
                    match f.next_block() {
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(e) => {
                            err = Some(e);
                            break;
                        }
                    }
                },
            }
            assert!(
                matches!(err, Some(Error::FileChanged { .. })),
                "{delta}: {err:?}"
            );
            let _ = std::fs::remove_file(p);
        }
    }
}
