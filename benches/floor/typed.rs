//! The application format ([`docs/application-format.md`](../../docs/application-format.md)) as serde
//! derive structs: the "typed" floor of the benchmarks. Only benchmarks may
//! know the format; `icprules` itself reads it through the schema.
//!
//! Unknown keys are errors and enums are Rust enums, so this floor validates
//! about as much as the schema-driven reader (not the invariants).

#![allow(dead_code, reason = "the fields are read by serde, not by Rust")]

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvinceId {
    Anhui,
    Beijing,
    Chongqing,
    Fujian,
    Gansu,
    Guangdong,
    Guangxi,
    Guizhou,
    Hainan,
    Hebei,
    Heilongjiang,
    Henan,
    Hubei,
    Hunan,
    InnerMongolia,
    Jiangsu,
    Jiangxi,
    Jilin,
    Liaoning,
    Ningxia,
    Qinghai,
    Shaanxi,
    Shandong,
    Shanghai,
    Shanxi,
    Sichuan,
    Tianjin,
    Tibet,
    Xinjiang,
    Yunnan,
    Zhejiang,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    New,
    Change,
    Transfer,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Enterprise,
    Individual,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateType {
    BusinessLicense,
    LegacyBusinessLicense,
    OrganizationCodeCertificate,
    UnifiedSocialCreditCodeCertificate,
    IdCard,
    TemporaryIdCard,
    Passport,
    HkMacaoResidencePermit,
    HkMacaoMainlandTravelPermit,
    HkMacaoExitEntryPermit,
    TaiwanResidencePermit,
    TaiwanMainlandTravelPermit,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdDocumentType {
    IdCard,
    TemporaryIdCard,
    Passport,
    HkMacaoResidencePermit,
    HkMacaoMainlandTravelPermit,
    HkMacaoExitEntryPermit,
    TaiwanResidencePermit,
    TaiwanMainlandTravelPermit,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Residency {
    Mainland,
    HongKong,
    Macao,
    Taiwan,
    Foreign,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportingDocumentType {
    ResidencePermit,
    TemporaryResidencePermit,
    StudentId,
    SocialInsuranceProof,
    EmploymentProof,
    IncomeProof,
    GuardianId,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentCategory {
    News,
    Publishing,
    Medicine,
    Culture,
    Broadcasting,
    Education,
    Healthcare,
    OnlineTaxi,
    ElectronicBulletin,
    Finance,
    Ecommerce,
    Other,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceType {
    Ecs,
    WebHosting,
    SimpleApplicationServer,
    ElasticWebHosting,
    MarketplaceWebsite,
    NatGateway,
    Ipv6Translation,
    Ens,
    Other,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    SubjectCertificate,
    SubjectAdminId,
    WebsiteAdminId,
    AuthenticityStatement,
    LetterOfAuthorization,
    IdPhoto,
    DomainCertificate,
    DomainHolderCertificate,
    DomainNameConfirmation,
    FinanceCommitmentLetter,
    ConstructionPlan,
    LetterOfGuarantee,
    PhoneBills,
    CertificateOfChange,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingRoad {
    Inner,
    Outer,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostingProvider {
    AlibabaCloud,
    Other,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginRouting {
    None,
    OriginAlibabaMainland,
    OriginOtherProvider,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AntiDdosLines {
    None,
    TelecomUnicomLines,
    BgpMultipath,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    Subscription,
    PayAsYouGo,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub province: ProvinceId,
    pub action: Action,
    pub account: Account,
    pub subject: Subject,
    pub subject_admin: Person,
    pub websites: Vec<Website>,
    pub documents: Vec<Document>,
    #[serde(default)]
    pub change: Option<Change>,
    #[serde(default)]
    pub transfer: Option<Transfer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub entities: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    #[serde(rename = "type")]
    pub kind: SubjectType,
    pub name: String,
    pub certificate: Certificate,
    pub legal_representative: Option<String>,
    pub individual_business: bool,
    pub mailing_address: MailingAddress,
    pub filed_domains: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    #[serde(rename = "type")]
    pub kind: CertificateType,
    pub number: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailingAddress {
    pub province: ProvinceId,
    pub district: String,
    pub area: Option<String>,
    pub ring_road: Option<RingRoad>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub age: i64,
    pub residency: Residency,
    pub id_document: IdDocument,
    pub supporting_documents: Vec<SupportingDocument>,
    pub is_legal_representative: bool,
    pub mobile: Phone,
    pub office_phone: Option<Phone>,
    pub admin_of_other_subjects: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdDocument {
    #[serde(rename = "type")]
    pub kind: IdDocumentType,
    pub number: String,
    pub province: Option<ProvinceId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportingDocument {
    #[serde(rename = "type")]
    pub kind: SupportingDocumentType,
    pub province: Option<ProvinceId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    pub number: String,
    pub province: ProvinceId,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Website {
    pub name: String,
    pub remarks: String,
    pub content: Vec<ContentCategory>,
    pub pre_approvals: Vec<ContentCategory>,
    pub admin: Person,
    pub domains: Vec<Domain>,
    pub hosting: Hosting,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub name: String,
    pub tld: String,
    pub tld_miit_approved: bool,
    pub registrar_miit_approved: bool,
    pub registrar_in_china: bool,
    pub international_site: bool,
    pub expired: bool,
    pub real_name_verified: bool,
    pub real_name_verified_days_ago: i64,
    pub holder: DomainHolder,
    pub privacy_protection: bool,
    pub icp_number: Option<String>,
    pub accessible: bool,
    pub icp_number_displayed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainHolder {
    pub name: String,
    pub certificate_type: CertificateType,
    pub certificate_number: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hosting {
    pub provider: HostingProvider,
    pub in_mainland: bool,
    pub instance: Option<Instance>,
    pub service_id: Option<ServiceId>,
    pub cdn: OriginRouting,
    pub waf: OriginRouting,
    pub anti_ddos_pro: AntiDdosLines,
    pub oss_custom_domain: bool,
    pub service_providers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: InstanceType,
    pub billing: Billing,
    pub subscription_months: i64,
    pub public_bandwidth: bool,
    pub order_rmb: i64,
    pub service_ids_issued: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceId {
    pub number: String,
    pub previously_used: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[serde(rename = "type")]
    pub kind: DocumentType,
    pub domain: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub from: SubjectType,
    pub same_entity: bool,
    pub name_changed: bool,
    pub certificate_number_changed: bool,
    pub names_associated: bool,
    pub three_in_one: bool,
    pub individual_is_legal_representative: bool,
    pub individual_is_website_admin: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub original: OriginalFiling,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginalFiling {
    pub subject_type: SubjectType,
    pub subject_name: String,
    pub certificate_number: String,
    pub subject_admin_name: String,
    pub website_admin_name: String,
    pub icp_number: String,
}
