//! Length-delimited frames: a 4-byte big-endian length, then that many bytes of payload.
//! A length over the cap is refused as soon as its 4 bytes arrive, before anything is allocated for
//! it; the payload's buffer then grows only with the bytes actually received. A message longer
//! than a piece goes as several frames, each marked as a piece, and is joined on the other side
//! under a cap of its own and a budget shared by every connection of the process.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The largest payload a peer may send in one frame, unless the decoder is made with another cap.
pub const MAX_FRAME: u32 = 4 * 1024 * 1024;
/// The most a sender puts in one frame: a longer message goes in pieces of this size.
pub const PIECE: usize = 1024 * 1024;
/// The largest message joined from pieces: far above any real campaign's document (a few MB).
pub const MAX_MESSAGE: usize = 256 * 1024 * 1024;
/// The most that all the connections of this process may hold of messages still being joined:
/// one message of the largest size, or many of a real campaign's.
pub const MAX_JOINING: usize = MAX_MESSAGE;
/// The first byte of a frame that is a piece of a longer message, more pieces to follow…
pub const PART: u8 = 0xF0;
/// …and of its last piece. No message of ours starts with either byte unless sent in pieces.
pub const LAST: u8 = 0xF1;

const HEADER: usize = 4;

/// A protocol error in the byte stream: the connection that produced it is to be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a frame of {len} bytes is over the limit of {max} bytes")]
    TooLong { len: u64, max: u32 },
    #[error("the stream ended inside a frame ({have} of {want} bytes received)")]
    Truncated { have: usize, want: usize },
    #[error("a message of more than {max} bytes")]
    MessageTooLong { max: usize },
    #[error("the messages being received take all the memory allowed for them")]
    Busy,
    #[error("a whole message inside a message sent in pieces")]
    Interleaved,
}

/// The frames that carry `payload`, each as its mark (none: the payload whole, as it is) and its
/// bytes: one frame when the payload is short and starts with no piece mark, else pieces of at
/// most [`PIECE`] bytes behind their marks. Nothing is copied.
pub fn pieces(payload: &[u8]) -> Vec<(Option<u8>, &[u8])> {
    let marked = matches!(payload.first(), Some(&PART | &LAST));
    if payload.len() <= PIECE && !marked {
        return vec![(None, payload)];
    }
    let count = payload.len().div_ceil(PIECE).max(1);
    payload
        .chunks(PIECE)
        .enumerate()
        .map(|(i, chunk)| (Some(if i + 1 == count { LAST } else { PART }), chunk))
        .collect()
}

/// The header of a frame carrying `mark` (if any) and `len` bytes after it.
pub fn header(mark: Option<u8>, len: usize, max: u32) -> Result<Vec<u8>, FrameError> {
    let total = len + usize::from(mark.is_some());
    let total = u32::try_from(total)
        .ok()
        .filter(|total| *total <= max)
        .ok_or(FrameError::TooLong { len: total as u64, max })?;
    let mut bytes = total.to_be_bytes().to_vec();
    bytes.extend(mark);
    Ok(bytes)
}

/// Bytes reserved for messages being joined, by every connection of the process.
static JOINING: AtomicUsize = AtomicUsize::new(0);

/// What the process holds now of messages being joined (for tests and the log).
pub fn joining() -> usize {
    JOINING.load(Ordering::Relaxed)
}

/// Joins the pieces of one long message, reserving each piece's bytes in the process's budget
/// before taking them, and giving them back when the message is done or dropped.
#[derive(Debug)]
pub struct Joiner {
    max: usize,
    buf: Vec<u8>,
    reserved: usize,
}

impl Default for Joiner {
    fn default() -> Self {
        Self::new(MAX_MESSAGE)
    }
}

impl Joiner {
    pub fn new(max: usize) -> Self {
        Self { max, buf: Vec::new(), reserved: 0 }
    }

    /// Whether a message is being joined.
    pub fn is_joining(&self) -> bool {
        self.reserved > 0
    }

    /// Takes one frame: a whole message comes back as it is, a piece is kept, and the last piece
    /// gives back the joined message.
    pub fn take(&mut self, frame: Vec<u8>) -> Result<Option<Vec<u8>>, FrameError> {
        let (last, piece) = match frame.split_first() {
            Some((&PART, piece)) => (false, piece),
            Some((&LAST, piece)) => (true, piece),
            _ if self.is_joining() => return Err(FrameError::Interleaved),
            _ => return Ok(Some(frame)),
        };
        let len = self.buf.len() + piece.len();
        if len > self.max {
            return Err(FrameError::MessageTooLong { max: self.max });
        }
        self.reserve(piece.len().max(1))?;
        self.buf.extend_from_slice(piece);
        if !last {
            return Ok(None);
        }
        self.release();
        Ok(Some(std::mem::take(&mut self.buf)))
    }

    fn reserve(&mut self, n: usize) -> Result<(), FrameError> {
        let taken = JOINING.fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
            held.checked_add(n).filter(|total| *total <= MAX_JOINING)
        });
        taken.map_err(|_| FrameError::Busy)?;
        self.reserved += n;
        Ok(())
    }

    fn release(&mut self) {
        JOINING.fetch_sub(self.reserved, Ordering::AcqRel);
        self.reserved = 0;
    }
}

impl Drop for Joiner {
    fn drop(&mut self) {
        self.release();
    }
}

/// Writes one frame (length prefix, then `payload`) to the end of `out`.
pub fn encode(payload: &[u8], max: u32, out: &mut Vec<u8>) -> Result<(), FrameError> {
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|len| *len <= max)
        .ok_or(FrameError::TooLong { len: payload.len() as u64, max })?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

/// Turns a byte stream cut in arbitrary chunks back into the frames it carries.
#[derive(Debug)]
pub struct FrameDecoder {
    max: u32,
    header: Vec<u8>,
    payload: Option<(usize, Vec<u8>)>,
    ready: VecDeque<Vec<u8>>,
    failed: Option<FrameError>,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new(MAX_FRAME)
    }
}

impl FrameDecoder {
    pub fn new(max: u32) -> Self {
        Self { max, header: Vec::with_capacity(HEADER), payload: None, ready: VecDeque::new(), failed: None }
    }

    /// Takes the next chunk of the stream. After an error every later call returns it again.
    pub fn push(&mut self, mut input: &[u8]) -> Result<(), FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        while !input.is_empty() {
            input = match self.payload.take() {
                None => self.take_header(input)?,
                Some((want, buf)) => self.take_payload(want, buf, input),
            };
        }
        Ok(())
    }

    /// The length announced by the frame being received, once its header has arrived.
    pub fn pending_len(&self) -> Option<usize> {
        self.payload.as_ref().map(|(want, _)| *want)
    }

    /// Whether part of a frame has arrived.
    pub fn is_inside(&self) -> bool {
        self.payload.is_some() || !self.header.is_empty() || !self.ready.is_empty()
    }

    /// The next complete frame, if one has arrived.
    pub fn next_frame(&mut self) -> Option<Vec<u8>> {
        self.ready.pop_front()
    }

    /// Called when the stream has ended: an error if it ended inside a frame.
    pub fn finish(&self) -> Result<(), FrameError> {
        match (&self.payload, self.header.len()) {
            (Some((want, buf)), _) => Err(FrameError::Truncated { have: buf.len(), want: *want }),
            (None, 0) => Ok(()),
            (None, have) => Err(FrameError::Truncated { have, want: HEADER }),
        }
    }

    /// The bytes reserved for the frame being received: never more than the cap.
    pub fn pending_capacity(&self) -> usize {
        self.payload.as_ref().map_or(0, |(_, buf)| buf.capacity())
    }

    fn take_header<'a>(&mut self, input: &'a [u8]) -> Result<&'a [u8], FrameError> {
        let n = (HEADER - self.header.len()).min(input.len());
        self.header.extend_from_slice(&input[..n]);
        if self.header.len() == HEADER {
            self.start_payload()?;
        }
        Ok(&input[n..])
    }

    fn start_payload(&mut self) -> Result<(), FrameError> {
        let bytes: [u8; HEADER] = self.header[..].try_into().expect("four header bytes");
        let len = u32::from_be_bytes(bytes);
        if len > self.max {
            let error = FrameError::TooLong { len: len.into(), max: self.max };
            self.failed = Some(error.clone());
            return Err(error);
        }
        self.header.clear();
        self.complete_or_keep(len as usize, Vec::new());
        Ok(())
    }

    fn take_payload<'a>(&mut self, want: usize, mut buf: Vec<u8>, input: &'a [u8]) -> &'a [u8] {
        let n = (want - buf.len()).min(input.len());
        let target = buf.len() + n;
        if target > buf.capacity() {
            // Grow by doubling as usual, but never past the announced (already checked) length.
            let grown = (buf.capacity() * 2).clamp(target, want);
            buf.reserve_exact(grown - buf.len());
        }
        buf.extend_from_slice(&input[..n]);
        self.complete_or_keep(want, buf);
        &input[n..]
    }

    fn complete_or_keep(&mut self, want: usize, buf: Vec<u8>) {
        if buf.len() == want {
            self.ready.push_back(buf);
        } else {
            self.payload = Some((want, buf));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversize_length_is_refused_from_its_header_alone() {
        let mut decoder = FrameDecoder::new(10);
        let error = FrameError::TooLong { len: 11, max: 10 };
        assert_eq!(decoder.push(&11u32.to_be_bytes()), Err(error.clone()));
        assert_eq!(decoder.pending_capacity(), 0);
        assert_eq!(decoder.push(b"more"), Err(error));
    }

    #[test]
    fn a_frame_split_inside_its_header_waits_for_the_rest() {
        let mut stream = Vec::new();
        encode(b"hello", MAX_FRAME, &mut stream).unwrap();
        let mut decoder = FrameDecoder::default();
        decoder.push(&stream[..2]).unwrap();
        assert_eq!(decoder.next_frame(), None);
        assert_eq!(decoder.finish(), Err(FrameError::Truncated { have: 2, want: 4 }));
        decoder.push(&stream[2..7]).unwrap();
        assert_eq!(decoder.finish(), Err(FrameError::Truncated { have: 3, want: 5 }));
        decoder.push(&stream[7..]).unwrap();
        assert_eq!(decoder.next_frame().as_deref(), Some(&b"hello"[..]));
        assert_eq!(decoder.finish(), Ok(()));
    }

    #[test]
    fn encoding_refuses_a_payload_over_the_cap() {
        let mut out = Vec::new();
        assert_eq!(encode(&[0; 5], 4, &mut out), Err(FrameError::TooLong { len: 5, max: 4 }));
        assert!(out.is_empty());
    }

    #[test]
    fn a_long_message_goes_in_pieces_and_comes_back_whole() {
        let framed = |payload: &[u8]| -> Vec<Vec<u8>> {
            let pieces = pieces(payload);
            pieces
                .into_iter()
                .map(|(mark, bytes)| [&mark.into_iter().collect::<Vec<_>>()[..], bytes].concat())
                .collect()
        };
        let message: Vec<u8> = (0..PIECE * 2 + 5).map(|i| i as u8).collect();
        let frames = framed(&message);
        assert_eq!(frames.len(), 3);
        assert!(frames.iter().all(|frame| frame.len() <= PIECE + 1));
        let mut joiner = Joiner::default();
        let mut joined = None;
        for frame in frames {
            joined = joiner.take(frame).unwrap();
        }
        assert_eq!(joined, Some(message));
        assert!(!joiner.is_joining());
        for short in [vec![], vec![2, 1], vec![PART], vec![LAST, 7]] {
            let mut joiner = Joiner::default();
            let joined: Vec<_> = framed(&short).into_iter().filter_map(|f| joiner.take(f).unwrap()).collect();
            assert_eq!(joined, vec![short]);
        }
        assert_eq!(header(Some(PART), 3, 10), Ok(vec![0, 0, 0, 4, PART]));
        assert_eq!(header(None, 11, 10), Err(FrameError::TooLong { len: 11, max: 10 }));
    }

    #[test]
    fn a_joined_message_over_its_cap_is_refused_and_gives_its_memory_back() {
        let mut joiner = Joiner::new(10);
        assert_eq!(joiner.take([&[PART][..], &[0; 6]].concat()), Ok(None));
        assert_eq!(joiner.take([&[PART][..], &[0; 6]].concat()), Err(FrameError::MessageTooLong { max: 10 }));
        assert_eq!(joiner.take(vec![2]), Err(FrameError::Interleaved));
        drop(joiner);
        let mut joiner = Joiner::new(MAX_MESSAGE);
        assert_eq!(joiner.take(vec![LAST, 1]), Ok(Some(vec![1])));
    }

    #[test]
    fn an_empty_frame_is_a_frame() {
        let mut decoder = FrameDecoder::default();
        decoder.push(&[0, 0, 0, 0]).unwrap();
        assert_eq!(decoder.next_frame(), Some(Vec::new()));
    }
}
