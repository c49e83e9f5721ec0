//! Work done side by side whose results are taken in order.

/// Makes what each of `batches` gives with `make` and hands it to `add` in order, adding one
/// batch (on this thread) while the next is made: what must go in order (print.html, the
/// search index, the items of a load) overlaps the work done side by side.
pub(crate) fn in_order<B: Send, R: Send, E: Send>(
    batches: impl Iterator<Item = B>,
    make: impl Fn(B) -> Result<R, E> + Sync,
    mut add: impl FnMut(R) -> Result<(), E> + Send,
) -> Result<(), E> {
    let mut made = None;
    for batch in batches {
        let (next, added) = rayon::join(|| make(batch), || made.take().map_or(Ok(()), &mut add));
        added?;
        made = Some(next?);
    }
    made.map_or(Ok(()), add)
}
