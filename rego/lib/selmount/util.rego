# Null-safe accessors: absent, null and wrongly typed fields read as empty values.
package lib.selmount.util

# get is the value at path, or null when any step is absent, null or not an object.
get(x, path) := v if {
	is_object(x)
	v := object.get(x, path, null)
} else := null

obj(x) := x if is_object(x)

else := {}

arr(x) := x if is_array(x)

else := []

str(x) := x if is_string(x)

else := ""

num(x) := x if is_number(x)

else := 0

# last_of keeps, for every name, the item at its last position (Go map assignment semantics).
# Sorting [name, position] pairs keeps it O(n log n).
last_of(items, names) := {n: items[i] |
	some [n, i] in last_positions(names)
}

# last_positions are [name, last position] for every distinct name.
last_positions(names) := [s[j] |
	s := sort([[n, i] | some i, n in names])
	some j, _ in s
	not same_name(s, j, j + 1)
]

# first_positions are {name: first position} for every distinct name.
first_positions(names) := {s[j][0]: s[j][1] |
	s := sort([[n, i] | some i, n in names])
	some j, _ in s
	not same_name(s, j, j - 1)
}

same_name(s, j, k) if s[j][0] == s[k][0]
