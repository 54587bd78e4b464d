//! QUIC endpoints for the group: keep-alive and a short idle timeout, small flow-control windows,
//! no segmentation offload and no ECN (some Android kernels fail every send that uses them), and
//! framed channels (a long message in pieces) whose reads and writes have deadlines and over which
//! any protocol error closes the connection.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use quinn::udp::{RecvMeta, Transmit};
use quinn::{AsyncUdpSocket, Connection, Endpoint, Runtime, TokioRuntime, UdpPoller, VarInt};

use crate::cert::{CertError, MEMBER_SERVER_NAME, MemberInfo, member_info};
use crate::frame::{self, FrameDecoder, FrameError, Joiner, MAX_FRAME};
use crate::tls::TlsError;

/// How often an idle connection is pinged, so that NAT bindings and the idle timeout stay alive.
pub const KEEP_ALIVE: Duration = Duration::from_secs(3);
/// A connection that hears nothing (not even a ping) for this long is dropped: a peer that
/// vanished is known within it.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(12);
/// The longest wait for the next bytes of a message once one is due or has begun, and for a
/// piece to be taken by the peer.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// What one side of a connection may have in flight unread on one stream and in all (QUIC flow
/// control): a peer cannot make this side buffer more.
const STREAM_WINDOW: u32 = 2 * 1024 * 1024;
/// The application close code for a peer that broke the protocol.
pub const PROTOCOL_ERROR: VarInt = VarInt::from_u32(1);
/// The application close code for a peer that stopped in the middle of a message or a step.
pub const TIMED_OUT: VarInt = VarInt::from_u32(100);

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("socket: {0}")]
    Io(#[from] io::Error),
    #[error("cannot dial: {0}")]
    Connect(#[from] quinn::ConnectError),
    #[error("connection: {0}")]
    Connection(#[from] quinn::ConnectionError),
    #[error("sending: {0}")]
    Write(#[from] quinn::WriteError),
    #[error("receiving: {0}")]
    Read(#[from] quinn::ReadError),
    #[error("the peer broke the protocol: {0}")]
    Frame(#[from] FrameError),
    #[error("the peer's certificate: {0}")]
    Peer(#[from] CertError),
    #[error("the peer presented no certificate")]
    NoPeerCertificate,
    #[error("the TLS session cannot export keying material")]
    NoExporter,
    #[error("the peer stopped midway (nothing for {0:?})")]
    TimedOut(Duration),
}

/// The transport settings of every connection.
pub fn transport_config() -> quinn::TransportConfig {
    let mut config = quinn::TransportConfig::default();
    config.keep_alive_interval(Some(KEEP_ALIVE));
    config.max_idle_timeout(Some(IDLE_TIMEOUT.try_into().expect("a small timeout")));
    config.enable_segmentation_offload(false);
    // One stream each way is all a connection uses; a peer cannot open more to fill buffers.
    config.max_concurrent_bidi_streams(2u32.into());
    config.max_concurrent_uni_streams(0u32.into());
    config.stream_receive_window(STREAM_WINDOW.into());
    config.receive_window((2 * STREAM_WINDOW).into());
    config
}

pub fn server_config(crypto: rustls::ServerConfig) -> Result<quinn::ServerConfig, NetError> {
    let crypto = quinn::crypto::rustls::QuicServerConfig::try_from(crypto).map_err(TlsError::from)?;
    let mut config = quinn::ServerConfig::with_crypto(Arc::new(crypto));
    config.transport_config(Arc::new(transport_config()));
    // Handshakes not yet accepted, and what they may buffer, are bounded before the daemon's own
    // limits on connections apply.
    config.max_incoming(64);
    config.incoming_buffer_size(64 * 1024);
    config.incoming_buffer_size_total(2 * 1024 * 1024);
    Ok(config)
}

pub fn client_config(crypto: rustls::ClientConfig) -> Result<quinn::ClientConfig, NetError> {
    let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(crypto).map_err(TlsError::from)?;
    let mut config = quinn::ClientConfig::new(Arc::new(crypto));
    config.transport_config(Arc::new(transport_config()));
    Ok(config)
}

/// A QUIC endpoint on `addr`, accepting members when `server` is given. Needs a tokio runtime.
pub fn endpoint(addr: SocketAddr, server: Option<quinn::ServerConfig>) -> Result<Endpoint, NetError> {
    let socket = std::net::UdpSocket::bind(addr)?;
    let runtime = Arc::new(TokioRuntime);
    let socket = Arc::new(PlainUdp(runtime.wrap_udp_socket(socket)?));
    Ok(Endpoint::new_with_abstract_socket(quinn::EndpointConfig::default(), server, socket, runtime)?)
}

/// Dials `addr` with the given client configuration and waits for the handshake.
pub async fn connect(
    endpoint: &Endpoint,
    addr: SocketAddr,
    config: quinn::ClientConfig,
) -> Result<Connection, NetError> {
    Ok(endpoint.connect_with(config, addr, MEMBER_SERVER_NAME)?.await?)
}

/// What the network says of an address where nothing answers a plain datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nobody {
    /// The device is there, but nothing listens on that UDP port (or a firewall rejects it).
    PortClosed,
    /// There is no way to that address from here (another network, no route).
    NoRoute,
}

/// Sends a few one-byte datagrams to `addr` (which a QUIC listener drops unread) and resolves only
/// when the network answers that nobody is there: a closed port or no route. While the other side
/// stays silent (a listener, or a firewall that drops), it never resolves, so a caller races it
/// against the real dial.
pub async fn nobody_there(addr: SocketAddr) -> Nobody {
    const PROBES: usize = 3;
    const GAP: Duration = Duration::from_millis(300);
    let local: SocketAddr = match addr {
        SocketAddr::V4(_) => (std::net::Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (std::net::Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let probed = async {
        let socket = tokio::net::UdpSocket::bind(local).await?;
        socket.connect(addr).await?;
        let mut buffer = [0; 64];
        for _ in 0..PROBES {
            socket.send(&[0]).await?;
            if let Ok(Err(error)) = tokio::time::timeout(GAP, socket.recv(&mut buffer)).await {
                return Err(error);
            }
        }
        Ok(())
    };
    match probed.await {
        Err(error) if matches!(error.kind(), io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionReset) => {
            Nobody::PortClosed
        }
        Err(error) if matches!(error.kind(), io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable) => {
            Nobody::NoRoute
        }
        _ => std::future::pending().await,
    }
}

/// Who is on the other end of an authenticated connection.
pub fn peer_info(connection: &Connection) -> Result<MemberInfo, NetError> {
    Ok(member_info(&peer_certificate(connection)?)?)
}

/// The certificate the other end presented (DER).
pub fn peer_certificate(connection: &Connection) -> Result<rustls::pki_types::CertificateDer<'static>, NetError> {
    let chain = connection
        .peer_identity()
        .and_then(|identity| identity.downcast::<Vec<rustls::pki_types::CertificateDer<'static>>>().ok())
        .ok_or(NetError::NoPeerCertificate)?;
    chain.first().cloned().ok_or(NetError::NoPeerCertificate)
}

/// The secret both ends of this TLS session derive alike, for binding an invite's token proof to it.
pub fn exported_secret(connection: &Connection) -> Result<[u8; 32], NetError> {
    exported(connection, crate::invite::EXPORTER_LABEL)
}

/// A secret of this TLS session under `label`, the same at both ends.
pub fn exported(connection: &Connection, label: &[u8]) -> Result<[u8; 32], NetError> {
    let mut secret = [0; 32];
    connection.export_keying_material(&mut secret, label, b"").map_err(|_| NetError::NoExporter)?;
    Ok(secret)
}

/// A bidirectional stream of messages, a long one in several frames. A frame error closes the
/// whole connection; a read waits at most [`READ_TIMEOUT`] once a message is due.
pub struct Channel {
    connection: Connection,
    send: quinn::SendStream,
    recv: quinn::RecvStream,
    decoder: FrameDecoder,
    joiner: Joiner,
    /// How long the peer may take to begin its answer: longer after a long message of ours.
    answer_within: Duration,
    /// The cap on the next message alone (a hello, a join request), checked from its length.
    short: Option<usize>,
    sent: u64,
    received: u64,
}

/// How long a peer may take to begin answering after `sent` bytes: the read deadline, and a
/// second per 256 KiB it may have to apply (a phone applies a long sync message slowly).
pub fn answer_time(sent: usize) -> Duration {
    READ_TIMEOUT + Duration::from_secs((sent / (256 * 1024)) as u64)
}

impl Channel {
    pub async fn open(connection: &Connection) -> Result<Self, NetError> {
        let (send, recv) = connection.open_bi().await?;
        Ok(Self::new(connection, send, recv))
    }

    pub async fn accept(connection: &Connection) -> Result<Self, NetError> {
        let (send, recv) = connection.accept_bi().await?;
        Ok(Self::new(connection, send, recv))
    }

    fn new(connection: &Connection, send: quinn::SendStream, recv: quinn::RecvStream) -> Self {
        Self {
            connection: connection.clone(),
            send,
            recv,
            decoder: FrameDecoder::new(MAX_FRAME),
            joiner: Joiner::default(),
            answer_within: READ_TIMEOUT,
            short: None,
            sent: 0,
            received: 0,
        }
    }

    /// Sends one message: in one frame, or in pieces when it is long.
    pub async fn send(&mut self, payload: &[u8]) -> Result<(), NetError> {
        for (mark, piece) in frame::pieces(payload) {
            let header = frame::header(mark, piece.len(), MAX_FRAME)?;
            let written = async {
                self.send.write_all(&header).await?;
                self.send.write_all(piece).await
            };
            match tokio::time::timeout(READ_TIMEOUT, written).await {
                Ok(written) => written?,
                Err(_) => return Err(self.timed_out(READ_TIMEOUT)),
            }
            self.sent += (header.len() + piece.len()) as u64;
        }
        self.answer_within = answer_time(payload.len());
        Ok(())
    }

    /// The next message, or `None` once the peer has finished its side cleanly.
    pub async fn recv(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        self.receive(false).await
    }

    /// The next message of at most `max` bytes in one frame (a hello, a join request), refused
    /// from its length alone when longer.
    pub async fn recv_short(&mut self, max: u32) -> Result<Option<Vec<u8>>, NetError> {
        self.short = Some(max as usize);
        let message = self.receive(false).await;
        self.short = None;
        message
    }

    /// The next message, waiting as long as it takes for it to begin (a live link between rounds).
    pub async fn recv_idle(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        self.receive(true).await
    }

    async fn receive(&mut self, idle: bool) -> Result<Option<Vec<u8>>, NetError> {
        let result = self.next(idle).await;
        match &result {
            Err(NetError::Frame(FrameError::Busy)) => {
                tracing::warn!("too much being received at once: closing the connection");
                let busy = crate::session::Refusal::Busy;
                self.connection.close(busy.code(), b"busy");
            }
            Err(NetError::Frame(error)) => {
                tracing::warn!(%error, "closing the connection");
                self.connection.close(PROTOCOL_ERROR, b"protocol error");
            }
            _ => {}
        }
        result
    }

    async fn next(&mut self, mut idle: bool) -> Result<Option<Vec<u8>>, NetError> {
        loop {
            while let Some(frame) = self.decoder.next_frame() {
                self.check_short(frame.len())?;
                if let Some(message) = self.joiner.take(frame)? {
                    self.answer_within = READ_TIMEOUT;
                    return Ok(Some(message));
                }
            }
            if let Some(len) = self.decoder.pending_len() {
                self.check_short(len)?;
            }
            let begun = self.decoder.is_inside() || self.joiner.is_joining();
            idle &= !begun;
            let within = if begun { READ_TIMEOUT } else { self.answer_within };
            let chunk = if idle {
                self.recv.read_chunk(64 * 1024, true).await?
            } else {
                match tokio::time::timeout(within, self.recv.read_chunk(64 * 1024, true)).await {
                    Ok(chunk) => chunk?,
                    Err(_) => return Err(self.timed_out(within)),
                }
            };
            match chunk {
                Some(chunk) => {
                    self.received += chunk.bytes.len() as u64;
                    self.decoder.push(&chunk.bytes)?
                }
                None if self.joiner.is_joining() => {
                    return Err(FrameError::Truncated { have: 0, want: 1 }.into());
                }
                None => return self.decoder.finish().map(|()| None).map_err(Into::into),
            }
        }
    }

    /// A short message must come whole in one frame of at most its cap; later frames (the peer
    /// may send on at once) are not held to it.
    fn check_short(&self, len: usize) -> Result<(), FrameError> {
        match self.short {
            Some(max) if len > max => Err(FrameError::TooLong { len: len as u64, max: max as u32 }),
            _ => Ok(()),
        }
    }

    fn timed_out(&self, waited: Duration) -> NetError {
        tracing::warn!(?waited, "the peer stopped midway: closing the connection");
        self.connection.close(TIMED_OUT, b"timed out");
        NetError::TimedOut(waited)
    }

    /// The bytes sent and received on this channel so far, frame headers included.
    pub fn bytes(&self) -> (u64, u64) {
        (self.sent, self.received)
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Ends our side of the stream; frames already written are still delivered.
    pub fn finish(&mut self) {
        let _ = self.send.finish();
    }
}

/// The platform's UDP socket, sending every datagram alone and without ECN marks.
#[derive(Debug)]
struct PlainUdp(Arc<dyn AsyncUdpSocket>);

impl AsyncUdpSocket for PlainUdp {
    fn create_io_poller(self: Arc<Self>) -> Pin<Box<dyn UdpPoller>> {
        self.0.clone().create_io_poller()
    }

    fn try_send(&self, transmit: &Transmit) -> io::Result<()> {
        self.0.try_send(&Transmit { ecn: None, ..*transmit })
    }

    fn poll_recv(
        &self,
        cx: &mut Context,
        bufs: &mut [io::IoSliceMut<'_>],
        meta: &mut [RecvMeta],
    ) -> Poll<io::Result<usize>> {
        self.0.poll_recv(cx, bufs, meta)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }

    fn max_transmit_segments(&self) -> usize {
        1
    }

    fn max_receive_segments(&self) -> usize {
        self.0.max_receive_segments()
    }

    fn may_fragment(&self) -> bool {
        self.0.may_fragment()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use quinn::udp::EcnCodepoint;

    use super::*;

    /// A socket that only records what it is asked to send.
    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<Option<EcnCodepoint>>>);

    impl AsyncUdpSocket for Recorder {
        fn create_io_poller(self: Arc<Self>) -> Pin<Box<dyn UdpPoller>> {
            unreachable!("the test only sends through the adapter")
        }
        fn try_send(&self, transmit: &Transmit) -> io::Result<()> {
            self.0.lock().unwrap().push(transmit.ecn);
            Ok(())
        }
        fn poll_recv(
            &self,
            _: &mut Context,
            _: &mut [io::IoSliceMut<'_>],
            _: &mut [RecvMeta],
        ) -> Poll<io::Result<usize>> {
            unreachable!("the test only sends through the adapter")
        }
        fn local_addr(&self) -> io::Result<SocketAddr> {
            Err(io::Error::other("a recording socket has no address"))
        }
        fn max_transmit_segments(&self) -> usize {
            64
        }
    }

    #[test]
    fn connections_keep_alive_time_out_and_send_without_offload() {
        let config = format!("{:?}", transport_config());
        for setting in ["keep_alive_interval: Some(3s)", "enable_segmentation_offload: false"] {
            assert!(config.contains(setting), "{setting} not in {config}");
        }
        assert!(config.contains("max_idle_timeout: Some("), "{config}");
    }

    #[test]
    fn a_long_message_gives_the_peer_longer_to_answer() {
        assert_eq!(answer_time(100), READ_TIMEOUT);
        assert_eq!(answer_time(32 * 1024 * 1024), READ_TIMEOUT + Duration::from_secs(128));
    }

    #[test]
    fn datagrams_leave_without_ecn_marks_and_one_at_a_time() {
        let recorder = Arc::new(Recorder::default());
        let socket = PlainUdp(recorder.clone());
        let transmit = Transmit {
            destination: "127.0.0.1:9".parse().unwrap(),
            ecn: Some(EcnCodepoint::Ect0),
            contents: b"datagram",
            segment_size: None,
            src_ip: None,
        };
        socket.try_send(&transmit).unwrap();
        assert_eq!(*recorder.0.lock().unwrap(), vec![None]);
        assert_eq!(socket.max_transmit_segments(), 1);
    }
}
