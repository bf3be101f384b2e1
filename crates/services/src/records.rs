//! Organizations, departments, people, plans, tags and alignment links: the
//! rules their references must keep.

use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::*;
use lodestar_storage::{StorageError, Versioned};
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

/// Refuses a record named by `field` that belongs to another organization
/// than the one it is used in (422 on that field).
pub(crate) fn of_organization(
    field: &str,
    entity: &str,
    id: impl std::fmt::Display,
    owner: OrganizationId,
    org: OrganizationId,
) -> ServiceResult<()> {
    if owner == org {
        return Ok(());
    }
    Err(ValidationError::new(
        field,
        format!("{entity} {id} belongs to another organization"),
    )
    .into())
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

    /// Replaces an organization still at version `expected`; its new parent
    /// may not be itself or beneath it.
    pub async fn update_organization(
        &self,
        id: OrganizationId,
        expected: i64,
        draft: &OrganizationDraft,
    ) -> ServiceResult<Versioned<Organization>> {
        self.store()
            .at_version::<Organization>(id, expected)
            .await?;
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
        Ok(self
            .store()
            .update_organization(id, expected, draft)
            .await?)
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

    /// Replaces a department still at version `expected`.
    pub async fn update_department(
        &self,
        id: DepartmentId,
        expected: i64,
        draft: &DepartmentDraft,
    ) -> ServiceResult<Versioned<Department>> {
        self.store().at_version::<Department>(id, expected).await?;
        let org = draft.organization_id;
        referenced(
            self.store().get_organization(org),
            "organization_id",
            "organization",
            org,
        )
        .await?;
        Ok(self.store().update_department(id, expected, draft).await?)
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
            of_organization(
                "department_id",
                "department",
                d,
                department.organization_id,
                org,
            )?;
        }
        Ok(())
    }

    /// Creates a person, in a department of their own organization if one is named.
    pub async fn create_person(&self, draft: &PersonDraft) -> ServiceResult<Person> {
        self.check_person(draft).await?;
        Ok(self.store().create_person(draft).await?)
    }

    /// Replaces a person still at version `expected`.
    pub async fn update_person(
        &self,
        id: PersonId,
        expected: i64,
        draft: &PersonDraft,
    ) -> ServiceResult<Versioned<Person>> {
        self.store().at_version::<Person>(id, expected).await?;
        self.check_person(draft).await?;
        Ok(self.store().update_person(id, expected, draft).await?)
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

    /// Replaces the own fields of a plan still at version `expected`. Its
    /// levels may change only as far as its nodes allow: every node's level
    /// must still have a name.
    pub async fn update_plan(
        &self,
        id: PlanId,
        expected: i64,
        draft: &PlanDraft,
    ) -> ServiceResult<Versioned<Plan>> {
        self.store().at_version::<Plan>(id, expected).await?;
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
        Ok(self.store().update_plan(id, expected, draft).await?)
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

    /// Replaces a tag still at version `expected`; it stays in its plan,
    /// where its nodes are.
    pub async fn update_tag(
        &self,
        id: TagId,
        expected: i64,
        draft: &TagDraft,
    ) -> ServiceResult<Versioned<Tag>> {
        let current = self.store().at_version::<Tag>(id, expected).await?;
        if current.plan_id != draft.plan_id {
            return Err(
                ValidationError::new("plan_id", "a tag cannot move to another plan").into(),
            );
        }
        Ok(self.store().update_tag(id, expected, draft).await?)
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

    /// Replaces an alignment link still at version `expected`.
    pub async fn update_alignment(
        &self,
        id: AlignmentId,
        expected: i64,
        draft: &AlignmentDraft,
    ) -> ServiceResult<Versioned<Alignment>> {
        self.store().at_version::<Alignment>(id, expected).await?;
        self.check_alignment(draft).await?;
        Ok(self.store().update_alignment(id, expected, draft).await?)
    }
}
