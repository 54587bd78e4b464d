//! Length-delimited frames: a 4-byte big-endian length, then that many bytes of payload.
//! A length over the cap is refused as soon as its 4 bytes arrive, before anything is allocated for
//! it; the payload's buffer then grows only with the bytes actually received.

use std::collections::VecDeque;

/// The largest payload a peer may send in one frame, unless the decoder is made with another cap.
pub const MAX_FRAME: u32 = 16 * 1024 * 1024;

const HEADER: usize = 4;

/// A protocol error in the byte stream: the connection that produced it is to be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a frame of {len} bytes is over the limit of {max} bytes")]
    TooLong { len: u64, max: u32 },
    #[error("the stream ended inside a frame ({have} of {want} bytes received)")]
    Truncated { have: usize, want: usize },
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
    fn an_empty_frame_is_a_frame() {
        let mut decoder = FrameDecoder::default();
        decoder.push(&[0, 0, 0, 0]).unwrap();
        assert_eq!(decoder.next_frame(), Some(Vec::new()));
    }
}
