//! Typed indices, so a case index can never index staff, and vectors indexed by them.

use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// Declares a typed index (a `u32` newtype convertible to and from `usize`), so that a case
/// index can never index staff.
macro_rules! typed_index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The position as a `usize`.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl From<usize> for $name {
            fn from(i: usize) -> Self {
                $name(u32::try_from(i).expect("index fits in u32"))
            }
        }

        impl From<$name> for usize {
            fn from(i: $name) -> usize {
                i.index()
            }
        }
    };
}
pub(crate) use typed_index;

typed_index!(
    /// Position of a worker in [`Scenario::staff`](super::Scenario::staff).
    StaffIdx
);
typed_index!(
    /// Position of a case in [`Scenario::cases`](super::Scenario::cases).
    CaseIdx
);

/// A vector indexed by a typed index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexVec<I, T> {
    raw: Vec<T>,
    _index: PhantomData<fn(I) -> I>,
}

impl<I, T> Default for IndexVec<I, T> {
    fn default() -> Self {
        IndexVec {
            raw: Vec::new(),
            _index: PhantomData,
        }
    }
}

impl<I: Copy + From<usize> + Into<usize>, T> IndexVec<I, T> {
    /// Wraps a plain vector.
    pub fn from_vec(raw: Vec<T>) -> Self {
        IndexVec {
            raw,
            _index: PhantomData,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Adds an element at the next index.
    pub fn push(&mut self, value: T) {
        self.raw.push(value);
    }

    /// Elements in index order, mutable.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.raw.iter_mut()
    }

    /// Elements in index order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.raw.iter()
    }

    /// Indices with their elements, in order.
    pub fn iter_enumerated(&self) -> impl Iterator<Item = (I, &T)> + Clone + '_ {
        self.raw.iter().enumerate().map(|(i, t)| (I::from(i), t))
    }

    /// All indices, in order.
    pub fn indices(&self) -> impl Iterator<Item = I> + '_ {
        (0..self.raw.len()).map(I::from)
    }

    /// The underlying slice.
    pub fn as_slice(&self) -> &[T] {
        &self.raw
    }
}

impl<I: Into<usize>, T> Index<I> for IndexVec<I, T> {
    type Output = T;
    fn index(&self, index: I) -> &T {
        &self.raw[index.into()]
    }
}

impl<I: Into<usize>, T> IndexMut<I> for IndexVec<I, T> {
    fn index_mut(&mut self, index: I) -> &mut T {
        &mut self.raw[index.into()]
    }
}
