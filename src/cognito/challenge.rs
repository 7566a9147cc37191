//! The challenges `InitiateAuth` and `RespondToAuthChallenge` can return
//! (`ChallengeName` in the Amazon Cognito API Reference, "InitiateAuth"
//! Response Syntax), and what a UI needs to answer one.

use crate::prelude::*;

use super::response::CodeDelivery;

/// A `ChallengeName`. Unknown names are refused with
/// [`super::CognitoError::UnexpectedChallenge`] rather than guessed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeName {
    /// `PASSWORD_VERIFIER` (SRP; answered by the SDK).
    PasswordVerifier,
    /// `DEVICE_SRP_AUTH` (answered by the SDK with the remembered device).
    DeviceSrpAuth,
    /// `DEVICE_PASSWORD_VERIFIER` (answered by the SDK).
    DevicePasswordVerifier,
    /// `SMS_MFA`: a code sent by SMS.
    SmsMfa,
    /// `SOFTWARE_TOKEN_MFA`: a TOTP code.
    SoftwareTokenMfa,
    /// `EMAIL_OTP`: a code sent by e-mail (MFA, or USER_AUTH passwordless).
    EmailOtp,
    /// `SMS_OTP`: a code sent by SMS (USER_AUTH passwordless).
    SmsOtp,
    /// `SELECT_MFA_TYPE`: choose among `MFAS_CAN_CHOOSE`.
    SelectMfaType,
    /// `MFA_SETUP`: MFA is required and none is set up (`MFAS_CAN_SETUP`).
    MfaSetup,
    /// `NEW_PASSWORD_REQUIRED`: an admin-created user's first sign-in.
    NewPasswordRequired,
    /// `CUSTOM_CHALLENGE`: defined by the pool's Lambda triggers.
    CustomChallenge,
    /// `SELECT_CHALLENGE`: USER_AUTH, choose among `AvailableChallenges`.
    SelectChallenge,
    /// `PASSWORD`: USER_AUTH, send the password.
    Password,
    /// `PASSWORD_SRP`: USER_AUTH, SRP with the password.
    PasswordSrp,
    /// `WEB_AUTHN`: a passkey assertion (answered with the credential JSON;
    /// the WebAuthn ceremony itself is the host's).
    WebAuthn,
}

const NAMES: [(ChallengeName, &str); 15] = [
    (ChallengeName::PasswordVerifier, "PASSWORD_VERIFIER"),
    (ChallengeName::DeviceSrpAuth, "DEVICE_SRP_AUTH"),
    (
        ChallengeName::DevicePasswordVerifier,
        "DEVICE_PASSWORD_VERIFIER",
    ),
    (ChallengeName::SmsMfa, "SMS_MFA"),
    (ChallengeName::SoftwareTokenMfa, "SOFTWARE_TOKEN_MFA"),
    (ChallengeName::EmailOtp, "EMAIL_OTP"),
    (ChallengeName::SmsOtp, "SMS_OTP"),
    (ChallengeName::SelectMfaType, "SELECT_MFA_TYPE"),
    (ChallengeName::MfaSetup, "MFA_SETUP"),
    (ChallengeName::NewPasswordRequired, "NEW_PASSWORD_REQUIRED"),
    (ChallengeName::CustomChallenge, "CUSTOM_CHALLENGE"),
    (ChallengeName::SelectChallenge, "SELECT_CHALLENGE"),
    (ChallengeName::Password, "PASSWORD"),
    (ChallengeName::PasswordSrp, "PASSWORD_SRP"),
    (ChallengeName::WebAuthn, "WEB_AUTHN"),
];

impl ChallengeName {
    /// Cognito's name for it.
    pub fn as_str(self) -> &'static str {
        NAMES
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, n)| n)
    }

    /// The challenge named `name`, if known.
    pub fn parse(name: &str) -> Option<ChallengeName> {
        NAMES.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }
}

/// A sign-in step that needs the user: which challenge, and what to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    /// The challenge to answer.
    pub challenge: ChallengeName,
    /// Where a code was sent (SMS_MFA, EMAIL_OTP, SMS_OTP).
    pub code_delivery: Option<CodeDelivery>,
    /// SELECT_MFA_TYPE: `MFAS_CAN_CHOOSE`; MFA_SETUP: `MFAS_CAN_SETUP`
    /// (e.g. `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    pub mfa_types: Vec<String>,
    /// NEW_PASSWORD_REQUIRED: attributes that must be given with the new
    /// password (`requiredAttributes`, without the `userAttributes.` prefix).
    pub required_attributes: Vec<String>,
    /// NEW_PASSWORD_REQUIRED: the user's current attributes
    /// (`userAttributes`).
    pub user_attributes: Vec<(String, String)>,
    /// SELECT_CHALLENGE: `AvailableChallenges` (e.g. `PASSWORD_SRP`,
    /// `EMAIL_OTP`, `WEB_AUTHN`).
    pub available_challenges: Vec<String>,
    /// MFA_SETUP after [`super::Answer::SetUpTotp`]: the TOTP secret (base32)
    /// to show as a QR code ([`super::otpauth_uri`]); then answer with the
    /// first code.
    pub totp_secret: Option<String>,
    /// The raw `ChallengeParameters` (CUSTOM_CHALLENGE's are the trigger's).
    pub parameters: Vec<(String, String)>,
}
