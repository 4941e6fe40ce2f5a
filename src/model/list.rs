//! The lists an entity keeps for the whole run.

use serde::{Deserialize, Serialize};

/// A list an entity holds (its systems, recipients, data categories, places …), kept at its
/// length: 16 bytes where a `Vec` takes 24, on each of the half-dozen lists of every
/// activity, system and processor (a large register has 200,000 of those). It reads as a
/// slice. Adding an item copies the list, which holds a handful; a long list is made as a
/// `Vec` and converted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct List<T>(Box<[T]>);

impl<T> List<T> {
    pub fn new() -> Self {
        List(Box::default())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, item: T) {
        self.edit(|items| items.push(item));
    }

    /// Changes the list as a `Vec` (retain, insert, extend), then keeps it at its length.
    pub fn edit<R>(&mut self, change: impl FnOnce(&mut Vec<T>) -> R) -> R {
        let mut items = std::mem::take(&mut self.0).into_vec();
        let result = change(&mut items);
        self.0 = items.into_boxed_slice();
        result
    }

    pub fn into_vec(self) -> Vec<T> {
        self.0.into_vec()
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List::new()
    }
}

impl<T> std::ops::Deref for List<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T> std::ops::DerefMut for List<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.0
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> Self {
        List(items.into_boxed_slice())
    }
}

impl<T: Clone> From<&[T]> for List<T> {
    fn from(items: &[T]) -> Self {
        List(items.into())
    }
}

impl<T, const N: usize> From<[T; N]> for List<T> {
    fn from(items: [T; N]) -> Self {
        List(Box::new(items))
    }
}

impl<T> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        List(items.into_iter().collect())
    }
}

impl<T> Extend<T> for List<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        self.edit(|list| list.extend(items));
    }
}

impl<T> IntoIterator for List<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_vec().into_iter()
    }
}

impl<'a, T> IntoIterator for &'a List<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut List<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for List<T> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.0[..] == other[..]
    }
}

impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for List<T> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.0[..] == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::List;

    #[test]
    fn a_list_keeps_no_room_beyond_its_items() {
        let mut list: List<u32> = vec![1, 2].into();
        list.push(3);
        list.extend([4, 5]);
        list.edit(|items| items.retain(|&n| n != 2));
        assert_eq!(list, [1, 3, 4, 5]);
        assert_eq!(std::mem::size_of::<List<u32>>(), 16);
        assert_eq!(list.into_vec().capacity(), 4);
    }
}
