//! Property tests of the frame decoder: any frames survive any cutting of the stream, and garbage,
//! truncated or oversize input ends in a typed error, never a panic or an allocation past the cap.

use obhod_syncd::frame::{FrameDecoder, FrameError, encode};
use proptest::prelude::*;

const CAP: u32 = 64;

fn stream_of(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut stream = Vec::new();
    for frame in frames {
        encode(frame, CAP, &mut stream).unwrap();
    }
    stream
}

/// The stream cut at the given points (taken modulo its length).
fn chunks(stream: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
    points.extend([0, stream.len()]);
    points.sort_unstable();
    points.windows(2).map(|w| stream[w[0]..w[1]].to_vec()).collect()
}

/// Feeds the chunks, checking the cap after each; returns the frames and the first error.
fn feed(decoder: &mut FrameDecoder, chunks: &[Vec<u8>]) -> (Vec<Vec<u8>>, Option<FrameError>) {
    let mut frames = Vec::new();
    for chunk in chunks {
        let pushed = decoder.push(chunk);
        assert!(decoder.pending_capacity() <= CAP as usize);
        frames.extend(std::iter::from_fn(|| decoder.next_frame()));
        if let Err(error) = pushed {
            return (frames, Some(error));
        }
    }
    (frames, None)
}

fn frames() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 0..=CAP as usize), 0..8)
}

proptest! {
    #[test]
    fn frames_round_trip_through_any_split(frames in frames(), cuts in prop::collection::vec(any::<usize>(), 0..20)) {
        let mut decoder = FrameDecoder::new(CAP);
        let (got, error) = feed(&mut decoder, &chunks(&stream_of(&frames), &cuts));
        prop_assert_eq!(error, None);
        prop_assert_eq!(got, frames);
        prop_assert_eq!(decoder.finish(), Ok(()));
    }

    #[test]
    fn garbage_never_panics_nor_allocates_past_the_cap(bytes in prop::collection::vec(any::<u8>(), 0..600), cuts in prop::collection::vec(any::<usize>(), 0..20)) {
        let mut decoder = FrameDecoder::new(CAP);
        let (got, error) = feed(&mut decoder, &chunks(&bytes, &cuts));
        prop_assert!(got.iter().all(|frame| frame.len() <= CAP as usize));
        if let Some(error) = error {
            prop_assert!(matches!(error, FrameError::TooLong { len, max: CAP } if len > CAP.into()), "{error:?}");
        }
    }

    #[test]
    fn a_truncated_stream_delivers_the_whole_frames_then_says_truncated(frames in frames(), last in prop::collection::vec(any::<u8>(), 1..=CAP as usize), keep in any::<usize>(), cuts in prop::collection::vec(any::<usize>(), 0..10)) {
        let whole = stream_of(&frames);
        let tail = stream_of(std::slice::from_ref(&last));
        let kept = keep % tail.len();
        let stream = [whole, tail[..kept].to_vec()].concat();
        let mut decoder = FrameDecoder::new(CAP);
        let (got, error) = feed(&mut decoder, &chunks(&stream, &cuts));
        prop_assert_eq!(error, None);
        prop_assert_eq!(got, frames);
        let expected = match kept {
            0 => Ok(()),
            1..4 => Err(FrameError::Truncated { have: kept, want: 4 }),
            _ => Err(FrameError::Truncated { have: kept - 4, want: last.len() }),
        };
        prop_assert_eq!(decoder.finish(), expected);
    }

    #[test]
    fn an_oversize_frame_after_good_ones_is_refused(frames in frames(), len in (CAP + 1).., rest in prop::collection::vec(any::<u8>(), 0..100), cuts in prop::collection::vec(any::<usize>(), 0..10)) {
        let stream = [stream_of(&frames), len.to_be_bytes().to_vec(), rest].concat();
        let mut decoder = FrameDecoder::new(CAP);
        let (got, error) = feed(&mut decoder, &chunks(&stream, &cuts));
        prop_assert_eq!(got, frames);
        prop_assert_eq!(error, Some(FrameError::TooLong { len: len.into(), max: CAP }));
    }
}
