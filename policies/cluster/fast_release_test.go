package cluster_test

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/stretchr/testify/require"
)

// The releases name ranges of the caller's bytes (past a byte order mark), every item's bytes are
// released once the decode is done with them, and releasing changes nothing decoded.
func TestDecodeScanReleasesWhatItRead(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("\uFEFF{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[")
	const pods = 6000 // over 4 MiB: the first pass releases too
	for i := range pods {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p%d","namespace":"ns","annotations":{"pad":%q}},"spec":{"containers":[{"name":"c"}]}}`, i, bytes.Repeat([]byte("x"), 700))
	}
	b.WriteString("]}")
	data := b.Bytes()

	var mu sync.Mutex
	released := make([]int, len(data)+1) // a difference array of the times each byte was released
	objs, err := cluster.DecodeScanReleasing("dump.json", data, func(from, to int) {
		mu.Lock()
		defer mu.Unlock()
		require.True(t, 3 <= from && from <= to && to <= len(data), "range %d-%d of %d bytes", from, to, len(data))
		released[from]++
		released[to]--
	})
	require.NoError(t, err)
	plain, err := cluster.DecodeScan("dump.json", data)
	require.NoError(t, err)
	require.True(t, reflect.DeepEqual(plain, objs))
	require.Len(t, objs, pods)

	first := bytes.Index(data, []byte(`{"apiVersion":"v1","kind":"Pod"`))
	last := bytes.LastIndex(data, []byte("}]}"))
	times := 0
	for i := 0; i < last; i++ {
		times += released[i]
		between := data[i] == ',' && data[i-1] == '}' && data[i+1] == '{' // a separator is no item's
		if i >= first && times < 1 && !between {
			t.Fatalf("byte %d of an item was never released", i)
		}
	}
}
