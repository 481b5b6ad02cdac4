package streets

// chunkLen is the length of a chunks' chunk.
const chunkLen = 1 << 14

// chunks is an append-only list kept in fixed-size chunks: growing it never
// copies it, so that its memory is its length (plus one chunk), where a
// slice grown by append would, at its last growth, hold both its old and
// its new array. Its hot loops allocate only a new chunk every chunkLen
// items.
type chunks[T any] struct {
	c [][]T
	n int
}

func (l *chunks[T]) append(x T) {
	if len(l.c) == 0 || len(l.c[len(l.c)-1]) == chunkLen {
		l.c = append(l.c, make([]T, 0, chunkLen))
	}
	last := &l.c[len(l.c)-1]
	*last = append(*last, x)
	l.n++
}

func (l *chunks[T]) len() int { return l.n }

// truncate drops the items from n on.
func (l *chunks[T]) truncate(n int) {
	if n >= l.n {
		return
	}
	k := n / chunkLen // chunks kept whole
	if n%chunkLen != 0 {
		l.c[k] = l.c[k][:n%chunkLen]
		k++
	}
	clear(l.c[k:])
	l.c = l.c[:k]
	l.n = n
}

// slice returns the items in one slice of their length, releasing each
// chunk once copied (the list is then empty), so that the copy never
// holds more than one chunk beyond the items.
func (l *chunks[T]) slice() []T {
	s := make([]T, 0, l.n)
	for i := range l.c {
		s = append(s, l.c[i]...)
		l.c[i] = nil
	}
	l.c, l.n = nil, 0
	return s
}
