"""Signatures, mobile footers and sign-offs are cut from the end; look-alike sentences stay."""

import pytest

from apps.inbound.signatures import signature_strip

BODY = "- Shipped the export\n- Fixed the login test"


@pytest.mark.parametrize("tail", [
    "-- \nAda Lovelace\nStaff Engineer",
    "--\nAda",
    "Sent from my iPhone", "Sent from my iPad", "Sent from my Galaxy",
    "Sent from my Verizon, Samsung Galaxy smartphone", "Sent from my BlackBerry® device",
    "Sent from Outlook for iOS", "Get Outlook for Android<https://aka.ms/AAb9ysg>",
    "Sent from Mail for Windows", "Sent from Yahoo Mail on Android",
    "Sent with Proton Mail secure email.",
    "Von meinem iPhone gesendet", "Outlook für iOS beziehen", "Envoyé de mon iPhone",
    "Obtenir Outlook pour iOS", "Enviado desde mi iPhone", "Enviado do meu iPhone",
    "Verstuurd vanaf mijn iPhone", "Inviato da iPhone", "Отправлено с iPhone",
    "iPhoneから送信", "发自我的iPhone",
    "Thanks,\nAda", "Thanks!", "Cheers,\nAda", "Best,\nAda\n\nSent from my iPhone",
    "Best regards,\nAda Lovelace\nStaff Engineer | Acme\n+44 20 7946 0958",
    "Regards,\nAda\nThis e-mail is confidential and intended solely for the addressee.",
    "Thanks, Ada", "Cheers 🍻\nAda", "Viele Grüße\nJürgen", "Mit freundlichen Grüßen\nJ. Müller",
    "Cordialement,\nÉlodie", "Saludos,\nCarlos", "Abraços,\nJoão",
    "Met vriendelijke groet,\nDaan", "Cordiali saluti,\nGiulia", "С уважением,\nИван",
    "よろしくお願いします。\n山田", "谢谢\n王伟",
    "Ada Lovelace\nStaff Engineer, Platform\n+44 20 7946 0958",
    "-Ada",
])
def test_a_signature_is_cut(tail):
    assert signature_strip(f"{BODY}\n\n{tail}", sender_name="Ada Lovelace ada") == BODY


@pytest.mark.parametrize("text", [
    f"{BODY}\n\nSent from my laptop on the train, the deploy went fine.",
    f"{BODY}\n\nSent from a magnificent torch of pixels",
    "And here is a fix -- this is not a signature.",
    "Thanks!\n\nShipped the CSV export\nFixed the Safari login test",
    f"{BODY}\n\nThanks for the quick review yesterday, it unblocked the release.",
    "- Thanks page redesign shipped",
])
def test_look_alike_lines_stay(text):
    assert signature_strip(text, sender_name="Ada Lovelace") == text


def test_an_autocorrected_dash_delimiter_is_cut_above_a_short_signature():
    assert signature_strip(f"{BODY}\n\n—\nAda Lovelace\nStaff Engineer") == BODY
    text = f"{BODY}\n\n---\nNext week: the migration guide"
    assert signature_strip(text) == text  # a section rule, not a delimiter
