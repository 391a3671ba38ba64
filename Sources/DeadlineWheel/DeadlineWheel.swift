// DeadlineWheel: the hierarchical timing wheel that holds every promised and statutory deadline
// of a node (design.md "Deadlines"). Pure: no clock reads, no I/O, no globals.
