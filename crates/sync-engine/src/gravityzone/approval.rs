//! [`Approval`]: whether a companies-page batch or an event resolution is only shown or also
//! applied — decided in the same call that computes the plan and applies it, under the
//! tenant's lease, so the state cannot change between the plan a person approved and the one
//! applied.

use std::fmt;

/// Whether a plan (a batch's confirmation list, an event action's concrete actions) is applied.
///
/// ```
/// use sync_engine::gravityzone::Approval;
///
/// let mut asked = 0;
/// let mut ask = |plan: &Vec<&str>| {
///     asked += 1;
///     plan.len() < 3
/// };
/// let mut approval: Approval<'_, Vec<&str>> = Approval::Ask(&mut ask);
/// assert!(approval.approves(&vec!["create company", "write link"]));
/// assert!(!Approval::<Vec<&str>>::Preview.approves(&vec![]));
/// assert!(Approval::<Vec<&str>>::Apply.approves(&vec![]));
/// drop(approval);
/// assert_eq!(asked, 1);
/// ```
#[non_exhaustive]
pub enum Approval<'a, P: ?Sized> {
    /// Compute the plan and return it; write nothing and take no lease (a dry run).
    Preview,
    /// Compute the plan under the tenant's lease and apply it.
    Apply,
    /// Compute the plan under the tenant's lease, show it to the callback (for example to ask
    /// a person), and apply that same plan only when the callback returns `true`. The lease
    /// is held while the callback runs; a callback that outlasts the lease's time to live
    /// makes the apply stop with `LeaseLost` before its first write.
    Ask(&'a mut (dyn FnMut(&P) -> bool + Send)),
}

impl<P: ?Sized> Approval<'_, P> {
    /// Whether this is [`Approval::Preview`].
    pub fn is_preview(&self) -> bool {
        matches!(self, Approval::Preview)
    }

    /// Whether `plan` is to be applied: never for a preview, always for an apply, else what
    /// the callback says.
    pub fn approves(&mut self, plan: &P) -> bool {
        match self {
            Approval::Preview => false,
            Approval::Apply => true,
            Approval::Ask(ask) => ask(plan),
        }
    }
}

impl<P: ?Sized> fmt::Debug for Approval<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Approval::Preview => "Preview",
            Approval::Apply => "Apply",
            Approval::Ask(_) => "Ask",
        })
    }
}
