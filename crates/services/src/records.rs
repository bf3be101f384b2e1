//! Organizations, departments, people, plans, tags and alignment links: the
//! rules their references must keep.

use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::*;
use lodestar_storage::StorageError;
use std::future::Future;

/// Awaits a lookup of a record that an input field names; a missing record is
/// the input's fault (422 on that field), not a missing resource (404).
pub(crate) async fn referenced<T>(
    lookup: impl Future<Output = Result<T, StorageError>>,
    field: &str,
    entity: &str,
    id: impl std::fmt::Display,
) -> ServiceResult<T> {
    match lookup.await {
        Ok(value) => Ok(value),
        Err(StorageError::NotFound { .. }) => Err(ServiceError::missing(field, entity, id)),
        Err(e) => Err(e.into()),
    }
}

impl App {
    /// Creates an organization under an existing parent, if one is named.
    pub async fn create_organization(
        &self,
        draft: &OrganizationDraft,
    ) -> ServiceResult<Organization> {
        if let Some(parent) = draft.parent_id {
            referenced(
                self.store().get_organization(parent),
                "parent_id",
                "organization",
                parent,
            )
            .await?;
        }
        Ok(self.store().create_organization(draft).await?)
    }

    /// Replaces an organization; its new parent may not be itself or beneath it.
    pub async fn update_organization(
        &self,
        id: OrganizationId,
        draft: &OrganizationDraft,
    ) -> ServiceResult<Organization> {
        self.store().get_organization(id).await?;
        let mut cursor = draft.parent_id;
        while let Some(current) = cursor {
            if current == id {
                return Err(ValidationError::new(
                    "parent_id",
                    "an organization cannot sit beneath itself",
                )
                .into());
            }
            cursor = referenced(
                self.store().get_organization(current),
                "parent_id",
                "organization",
                current,
            )
            .await?
            .parent_id;
        }
        Ok(self.store().update_organization(id, draft).await?)
    }

    /// Creates a department of an existing organization.
    pub async fn create_department(&self, draft: &DepartmentDraft) -> ServiceResult<Department> {
        let org = draft.organization_id;
        referenced(
            self.store().get_organization(org),
            "organization_id",
            "organization",
            org,
        )
        .await?;
        Ok(self.store().create_department(draft).await?)
    }

    /// Replaces a department.
    pub async fn update_department(
        &self,
        id: DepartmentId,
        draft: &DepartmentDraft,
    ) -> ServiceResult<Department> {
        self.store().get_department(id).await?;
        let org = draft.organization_id;
        referenced(
            self.store().get_organization(org),
            "organization_id",
            "organization",
            org,
        )
        .await?;
        Ok(self.store().update_department(id, draft).await?)
    }

    async fn check_person(&self, draft: &PersonDraft) -> ServiceResult<()> {
        let org = draft.organization_id;
        referenced(
            self.store().get_organization(org),
            "organization_id",
            "organization",
            org,
        )
        .await?;
        if let Some(d) = draft.department_id {
            let department = referenced(
                self.store().get_department(d),
                "department_id",
                "department",
                d,
            )
            .await?;
            if department.organization_id != org {
                return Err(ValidationError::new(
                    "department_id",
                    format!("department {d} belongs to another organization"),
                )
                .into());
            }
        }
        Ok(())
    }

    /// Creates a person, in a department of their own organization if one is named.
    pub async fn create_person(&self, draft: &PersonDraft) -> ServiceResult<Person> {
        self.check_person(draft).await?;
        Ok(self.store().create_person(draft).await?)
    }

    /// Replaces a person.
    pub async fn update_person(&self, id: PersonId, draft: &PersonDraft) -> ServiceResult<Person> {
        self.store().get_person(id).await?;
        self.check_person(draft).await?;
        Ok(self.store().update_person(id, draft).await?)
    }

    /// Creates a plan of an existing organization.
    pub async fn create_plan(&self, draft: &PlanDraft) -> ServiceResult<Plan> {
        let org = draft.organization_id;
        referenced(
            self.store().get_organization(org),
            "organization_id",
            "organization",
            org,
        )
        .await?;
        Ok(self.store().create_plan(draft).await?)
    }

    /// Replaces a plan's own fields. Its levels may change only as far as its
    /// nodes allow: every node's level must still have a name.
    pub async fn update_plan(&self, id: PlanId, draft: &PlanDraft) -> ServiceResult<Plan> {
        self.store().get_plan(id).await?;
        let org = draft.organization_id;
        referenced(
            self.store().get_organization(org),
            "organization_id",
            "organization",
            org,
        )
        .await?;
        let deepest = self
            .store()
            .plan_nodes(id)
            .await?
            .iter()
            .map(|n| n.level)
            .max();
        if let Some(deepest) = deepest
            && usize::from(deepest) >= draft.levels.len()
        {
            return Err(ValidationError::new(
                "levels",
                format!(
                    "the plan has nodes at level {}; it needs at least {} level names",
                    deepest + 1,
                    deepest + 1
                ),
            )
            .into());
        }
        Ok(self.store().update_plan(id, draft).await?)
    }

    /// Creates a tag of an existing plan.
    pub async fn create_tag(&self, draft: &TagDraft) -> ServiceResult<Tag> {
        referenced(
            self.store().get_plan(draft.plan_id),
            "plan_id",
            "plan",
            draft.plan_id,
        )
        .await?;
        Ok(self.store().create_tag(draft).await?)
    }

    /// Replaces a tag; it stays in its plan, where its nodes are.
    pub async fn update_tag(&self, id: TagId, draft: &TagDraft) -> ServiceResult<Tag> {
        let current = self.store().get_tag(id).await?;
        if current.plan_id != draft.plan_id {
            return Err(
                ValidationError::new("plan_id", "a tag cannot move to another plan").into(),
            );
        }
        Ok(self.store().update_tag(id, draft).await?)
    }

    /// Attaches a tag to a node of the same plan.
    pub async fn attach_tag(&self, node: NodeId, tag: TagId) -> ServiceResult<()> {
        let n = self.store().get_node(node).await?;
        let t = self.store().get_tag(tag).await?;
        if n.plan_id != t.plan_id {
            return Err(ValidationError::new(
                "tag_id",
                "the tag belongs to another plan than the node",
            )
            .into());
        }
        Ok(self.store().attach_tag(node, tag).await?)
    }

    async fn check_alignment(&self, draft: &AlignmentDraft) -> ServiceResult<()> {
        let from = referenced(
            self.store().get_node(draft.from_node_id),
            "from_node_id",
            "node",
            draft.from_node_id,
        )
        .await?;
        let to = referenced(
            self.store().get_node(draft.to_node_id),
            "to_node_id",
            "node",
            draft.to_node_id,
        )
        .await?;
        if from.plan_id == to.plan_id {
            return Err(ValidationError::new(
                "to_node_id",
                "an alignment link joins nodes of two different plans; both nodes are in the same plan",
            )
            .into());
        }
        Ok(())
    }

    /// Links a node to the node of another plan that it supports.
    pub async fn create_alignment(&self, draft: &AlignmentDraft) -> ServiceResult<Alignment> {
        self.check_alignment(draft).await?;
        Ok(self.store().create_alignment(draft).await?)
    }

    /// Replaces an alignment link.
    pub async fn update_alignment(
        &self,
        id: AlignmentId,
        draft: &AlignmentDraft,
    ) -> ServiceResult<Alignment> {
        self.store().get_alignment(id).await?;
        self.check_alignment(draft).await?;
        Ok(self.store().update_alignment(id, draft).await?)
    }
}
