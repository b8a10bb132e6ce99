package ledgeremu

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	ledger_go "github.com/zondax/ledger-go"
)

// Connect opens the emulated device as ledger-go's USB-HID admin opens a
// real one (device index 0), and returns a ledger_go.LedgerDevice for the
// real ledger-cosmos-go client to talk through.
//
// With the device Unplugged it fails with the same text ledger-go's HID
// transport gives when no Ledger is on the bus, so hosts recognise "not
// connected" the same way for both.
func (d *Device) Connect() (ledger_go.LedgerDevice, error) {
	if d.State() == Unplugged {
		return nil, fmt.Errorf("LedgerHID device (idx %d) not found: device may be locked or in use by another application", 0)
	}
	return &transport{dev: d}, nil
}

// transport is the host side of the emulated USB link. Exchange does what
// ledger-go v1.0.1's LedgerDeviceHID.Exchange does, with ledger-go's own
// framing functions: the command is cut into 64-byte HID reports with
// WrapCommandAPDU, the device reassembles them, and its reply travels back
// as HID reports that UnwrapResponseAPDU reads. Only the USB read and
// write are replaced.
type transport struct {
	dev    *Device
	mu     sync.Mutex
	closed bool
}

// USB HID framing parameters of Ledger devices (ledger-go's Channel and
// PacketSize, which exist only in its HID build).
const (
	hidChannel    = 0x0101
	hidPacketSize = 64
)

var errClosed = errors.New("ledgeremu: transport closed")

func (t *transport) Exchange(command []byte) ([]byte, error) {
	t.mu.Lock()
	closed := t.closed
	t.mu.Unlock()
	if closed {
		return nil, errClosed
	}
	// The same checks, in the same words, as ledger-go's HID transport.
	if len(command) < 5 {
		return nil, fmt.Errorf("APDU commands should not be smaller than 5")
	}
	if byte(len(command)-5) != command[4] {
		return nil, fmt.Errorf("APDU[data length] mismatch")
	}
	frames, err := ledger_go.WrapCommandAPDU(hidChannel, command, hidPacketSize)
	if err != nil {
		return nil, err
	}

	// Device side: reassemble the command from HID reports.
	apdu, err := unframe(frames)
	if err != nil {
		return nil, err
	}
	reply, err := t.dev.Exchange(apdu)
	if err != nil {
		// The device went away mid-conversation: a USB write error.
		return nil, fmt.Errorf("hidapi: %w", err)
	}
	replyFrames, err := ledger_go.WrapCommandAPDU(hidChannel, reply, hidPacketSize)
	if err != nil {
		return nil, err
	}

	// Host side again: read the reports back as the HID transport does.
	pipe := make(chan []byte, len(replyFrames)/hidPacketSize+1)
	for off := 0; off < len(replyFrames); off += hidPacketSize {
		pipe <- replyFrames[off : off+hidPacketSize]
	}
	close(pipe)
	response, err := ledger_go.UnwrapResponseAPDU(hidChannel, pipe, hidPacketSize)
	if err != nil {
		return nil, err
	}
	if len(response) < 2 {
		return nil, fmt.Errorf("len(response) < 2")
	}
	swOffset := len(response) - 2
	code := binary.BigEndian.Uint16(response[swOffset:])
	if code != SWOK {
		return response[:swOffset], errors.New(ledger_go.ErrorMessage(code))
	}
	return response[:swOffset], nil
}

func (t *transport) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	return nil
}

// unframe is the device's half of the HID framing: reports of 64 bytes,
// each with channel, tag 0x05 and a sequence number, the first also with
// the total length.
func unframe(frames []byte) ([]byte, error) {
	var out []byte
	total := -1
	for seq := uint16(0); len(frames) > 0; seq++ {
		if len(frames) < hidPacketSize {
			return nil, errors.New("ledgeremu: short HID report")
		}
		payload, size, _, err := ledger_go.DeserializePacket(hidChannel, frames[:hidPacketSize], seq)
		if err != nil {
			return nil, err
		}
		if seq == 0 {
			total = int(size)
		}
		out = append(out, payload...)
		frames = frames[hidPacketSize:]
	}
	if total < 0 || total > len(out) {
		return nil, errors.New("ledgeremu: truncated command")
	}
	return out[:total], nil
}
