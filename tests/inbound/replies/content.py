"""What members write, per language: greetings, done items, sign-offs, client strings.

Kept apart from the client shapes (build.py) so each reply combines a realistic body
with a realistic client, and the expectation comes from what the member wrote — never
from what the parser does.
"""

LANGS = ("en", "de", "fr", "es", "pt", "nl", "it", "ru", "ja", "zh")

NAMES = {
    "en": ("Ada Lovelace", "Ada"), "de": ("Jürgen Müller", "Jürgen"),
    "fr": ("Élodie Lefèvre", "Élodie"), "es": ("Carlos Peña", "Carlos"),
    "pt": ("João Gonçalves", "João"), "nl": ("Daan de Vries", "Daan"),
    "it": ("Giulia Ricci", "Giulia"), "ru": ("Иван Петров", "Иван"),
    "ja": ("山田 太郎", "山田"), "zh": ("王伟", "王伟"),
}
ADDRESSES = {
    "en": "ada@example.com", "de": "juergen.mueller@example.de", "fr": "elodie@example.fr",
    "es": "carlos.pena@example.es", "pt": "joao@example.com.br", "nl": "daan@example.nl",
    "it": "giulia.ricci@example.it", "ru": "ivan.petrov@example.ru", "ja": "yamada@example.jp",
    "zh": "wangwei@example.cn",
}

ITEMS = {
    "en": [
        "Shipped the CSV export for the billing dashboard",
        "Reviewed Priya's pull request on the retry queue",
        "Fixed the flaky login test on Safari",
        "Wrote the runbook for the Postgres failover drill",
        "Paired with Sam on the onboarding emails",
        "Triaged 14 support tickets, closed 9",
        "Migrated the staging cluster to the new VPC",
        "Drafted the Q3 roadmap section on search relevance",
    ],
    "de": [
        "Rechnungsexport für das Dashboard fertiggestellt",
        "Pull Request von Jörg zur Warteschlange geprüft",
        "Fehler beim Login unter Safari behoben",
        "Übergabedokument für die Datenbankmigration geschrieben",
        "Größenänderung der Bilder im Shop optimiert",
        "Kundentermin mit der Müller GmbH vorbereitet",
    ],
    "fr": [
        "Terminé l'export des factures pour le tableau de bord",
        "Relu la demande de fusion de Léa sur la file d'attente",
        "Corrigé le bug de connexion sous Safari",
        "Rédigé la procédure de bascule de la base de données",
        "Préparé la démo pour le comité de pilotage",
        "Répondu à 12 tickets du support",
    ],
    "es": [
        "Terminé la exportación de facturas del panel",
        "Revisé la solicitud de cambios de Iñaki sobre la cola",
        "Corregí el error de inicio de sesión en Safari",
        "Escribí la guía de migración de la base de datos",
        "Preparé la reunión con el equipo de diseño",
        "Actualicé las traducciones al catalán",
    ],
    "pt": [
        "Terminei a exportação de faturas do painel",
        "Revisei o pull request da Conceição sobre a fila",
        "Corrigi o erro de login no Safari",
        "Escrevi o guia de migração do banco de dados",
        "Atualizei as traduções para o espanhol",
        "Preparei a apresentação para a diretoria",
    ],
    "nl": [
        "Factuurexport voor het dashboard afgerond",
        "Pull request van Sanne over de wachtrij beoordeeld",
        "Inlogfout in Safari opgelost",
        "Draaiboek voor de databasemigratie geschreven",
        "Overleg met het ontwerpteam voorbereid",
        "Vertalingen naar het Frans bijgewerkt",
    ],
    "it": [
        "Completata l'esportazione delle fatture per la dashboard",
        "Revisionata la pull request di Niccolò sulla coda",
        "Corretto il bug di accesso su Safari",
        "Scritta la guida per la migrazione del database",
        "Preparata la riunione con il team di design",
        "Aggiornate le traduzioni in tedesco",
    ],
    "ru": [
        "Закончил выгрузку счетов для панели",
        "Проверил пулл-реквест Ольги по очереди задач",
        "Исправил ошибку входа в Safari",
        "Написал инструкцию по переносу базы данных",
        "Подготовил встречу с командой дизайна",
        "Обновил переводы на английский",
    ],
    "ja": [
        "請求書エクスポート機能を完成させました",
        "佐藤さんのプルリクエストをレビューしました",
        "Safariでのログイン不具合を修正しました",
        "データベース移行の手順書を作成しました",
        "デザインチームとの打ち合わせを準備しました",
        "英語の翻訳を更新しました",
    ],
    "zh": [
        "完成了仪表盘的发票导出功能",
        "审查了李娜关于任务队列的合并请求",
        "修复了Safari上的登录问题",
        "编写了数据库迁移的操作手册",
        "准备了与设计团队的会议",
        "更新了英文翻译",
    ],
}

# Long items that wrap when a client hard-wraps at 72/76 columns.
LONG_ITEMS = {
    "en": "Rewrote the nightly reconciliation job so it streams rows from Postgres "
          "instead of loading the whole ledger into memory, which took it from 40 minutes "
          "to 6",
    "de": "Den nächtlichen Abgleichsjob umgeschrieben, sodass er die Zeilen aus Postgres "
          "streamt, statt das ganze Hauptbuch in den Speicher zu laden",
    "fr": "Réécrit la tâche de rapprochement nocturne pour qu'elle lise les lignes de "
          "Postgres en flux au lieu de charger tout le grand livre en mémoire",
    "es": "Reescribí el proceso nocturno de conciliación para que lea las filas de "
          "Postgres en flujo en lugar de cargar todo el libro mayor en memoria",
    "pt": "Reescrevi o processo noturno de conciliação para ler as linhas do Postgres "
          "em fluxo em vez de carregar todo o livro razão na memória",
    "nl": "De nachtelijke afstemmingstaak herschreven zodat hij de rijen uit Postgres "
          "streamt in plaats van het hele grootboek in het geheugen te laden",
    "it": "Riscritto il processo notturno di riconciliazione perché legga le righe da "
          "Postgres in streaming invece di caricare tutto il libro mastro in memoria",
    "ru": "Переписал ночную задачу сверки, чтобы она читала строки из Postgres потоком, "
          "а не загружала всю книгу учёта в память",
    "ja": "夜間の照合ジョブを書き直し、台帳全体をメモリに読み込む代わりにPostgresから行をストリーミングするようにしました",
    "zh": "重写了夜间对账任务，使其从Postgres流式读取数据行，而不是把整个账本加载到内存中",
}

GREETINGS = {
    "en": ["Hi team,", "Hey all,", "Hello,", "Morning!"],
    "de": ["Hallo zusammen,", "Hi Team,", "Guten Morgen,"],
    "fr": ["Bonjour à tous,", "Salut l'équipe,", "Bonjour,"],
    "es": ["Hola equipo,", "Buenos días,", "Hola a todos,"],
    "pt": ["Olá pessoal,", "Bom dia,", "Oi equipe,"],
    "nl": ["Hoi allemaal,", "Goedemorgen,", "Hallo team,"],
    "it": ["Ciao a tutti,", "Buongiorno,", "Ciao team,"],
    "ru": ["Привет всем,", "Коллеги, привет!", "Здравствуйте,"],
    "ja": ["お疲れ様です。", "皆さん、お疲れ様です。"],
    "zh": ["大家好，", "各位好，"],
}

SIGN_OFFS = {
    "en": ["Thanks,", "Cheers,", "Best,", "Best regards,", "Thanks!"],
    "de": ["Viele Grüße", "Beste Grüße,", "Danke und Gruß"],
    "fr": ["Cordialement,", "Merci,", "Bonne journée,"],
    "es": ["Saludos,", "Gracias,", "Un saludo,"],
    "pt": ["Abraços,", "Obrigado,", "Atenciosamente,"],
    "nl": ["Groeten,", "Met vriendelijke groet,", "Groetjes,"],
    "it": ["Grazie,", "Saluti,", "Cordiali saluti,"],
    "ru": ["Спасибо,", "С уважением,"],
    "ja": ["よろしくお願いします。"],
    "zh": ["谢谢", "祝好"],
}

IPHONE_FOOTER = {
    "en": "Sent from my iPhone", "de": "Von meinem iPhone gesendet",
    "fr": "Envoyé de mon iPhone", "es": "Enviado desde mi iPhone",
    "pt": "Enviado do meu iPhone", "nl": "Verstuurd vanaf mijn iPhone",
    "it": "Inviato da iPhone", "ru": "Отправлено с iPhone", "ja": "iPhoneから送信",
    "zh": "发自我的iPhone",
}
ANDROID_FOOTER = {
    "en": "Sent from my Android phone", "de": "Von meinem Android-Gerät gesendet",
    "fr": "Envoyé de mon appareil Android", "es": "Enviado desde mi teléfono Android",
    "pt": "Enviado do meu Android", "nl": "Verzonden vanaf mijn Android",
    "it": "Inviato dal mio dispositivo Android", "ru": "Отправлено с моего Android",
    "ja": "Androidから送信", "zh": "发自我的Android手机",
}
SAMSUNG_FOOTER = {
    "en": "Sent from my Galaxy", "de": "Von meinem Samsung Galaxy Smartphone gesendet.",
    "fr": "Envoyé depuis mon Galaxy", "es": "Enviado desde mi Galaxy",
    "pt": "Enviado do meu Galaxy", "nl": "Verzonden vanaf mijn Galaxy",
    "it": "Inviato dal mio Galaxy", "ru": "Отправлено с Galaxy",
    "ja": "Galaxyから送信", "zh": "发自我的Galaxy",
}

# Outlook's header block labels: (from, sent, to, cc, subject)
OUTLOOK_LABELS = {
    "en": ("From", "Sent", "To", "Cc", "Subject"),
    "de": ("Von", "Gesendet", "An", "Cc", "Betreff"),
    "fr": ("De", "Envoyé", "À", "Cc", "Objet"),
    "es": ("De", "Enviado el", "Para", "CC", "Asunto"),
    "pt": ("De", "Enviada em", "Para", "Cc", "Assunto"),
    "nl": ("Van", "Verzonden", "Aan", "CC", "Onderwerp"),
    "it": ("Da", "Inviato", "A", "Cc", "Oggetto"),
    "ru": ("От", "Отправлено", "Кому", "Копия", "Тема"),
    "ja": ("差出人", "送信日時", "宛先", "CC", "件名"),
    "zh": ("发件人", "发送时间", "收件人", "抄送", "主题"),
}
OUTLOOK_DATES = {
    "en": "Tuesday, December 1, 2026 5:00 PM", "de": "Dienstag, 1. Dezember 2026 17:00",
    "fr": "mardi 1 décembre 2026 17:00", "es": "martes, 1 de diciembre de 2026 17:00",
    "pt": "terça-feira, 1 de dezembro de 2026 17:00", "nl": "dinsdag 1 december 2026 17:00",
    "it": "martedì 1 dicembre 2026 17:00", "ru": "1 декабря 2026 г. 17:00",
    "ja": "2026年12月1日 17:00", "zh": "2026年12月1日 17:00",
}
ORIGINAL_MESSAGE = {
    "en": "-----Original Message-----", "de": "-----Ursprüngliche Nachricht-----",
    "fr": "-----Message d'origine-----", "es": "-----Mensaje original-----",
    "pt": "-----Mensagem original-----", "nl": "-----Oorspronkelijk bericht-----",
    "it": "-----Messaggio originale-----", "ru": "-----Исходное сообщение-----",
    "ja": "-----Original Message-----", "zh": "-----原始邮件-----",
}
SAMSUNG_ORIGINAL = {
    "en": "-------- Original message --------", "de": "-------- Ursprüngliche Nachricht --------",
    "fr": "-------- Message d'origine --------", "es": "-------- Mensaje original --------",
    "pt": "-------- Mensagem original --------", "nl": "-------- Oorspronkelijk bericht --------",
    "it": "-------- Messaggio originale --------", "ru": "-------- Исходное сообщение --------",
    "ja": "-------- オリジナルメッセージ --------", "zh": "-------- 原始邮件 --------",
}
SAMSUNG_LABELS = {
    "en": ("From", "Date", "To", "Subject"), "de": ("Von", "Datum", "An", "Betreff"),
    "fr": ("De", "Date", "À", "Objet"), "es": ("De", "Fecha", "Para", "Asunto"),
    "pt": ("De", "Data", "Para", "Assunto"), "nl": ("Van", "Datum", "Aan", "Onderwerp"),
    "it": ("Da", "Data", "A", "Oggetto"), "ru": ("От", "Дата", "Кому", "Тема"),
    "ja": ("差出人", "日付", "宛先", "件名"), "zh": ("发件人", "日期", "收件人", "主题"),
}

R = "Donemail <reply+k7Qd2xVb@in.donemail.io>"
RB = "reply+k7Qd2xVb@in.donemail.io"
# "On … wrote:" as each client writes it, {who} is the quoted sender.
GMAIL_ATTRIBUTION = {
    "en": "On Tue, Dec 1, 2026 at 5:00 PM {who} wrote:",
    "de": "Am Di., 1. Dez. 2026 um 17:00 Uhr schrieb {who}:",
    "fr": "Le mar. 1 déc. 2026 à 17:00, {who} a écrit :",
    "es": "El mar, 1 dic 2026 a las 17:00, {who} escribió:",
    "pt": "Em ter., 1 de dez. de 2026 às 17:00, {who} escreveu:",
    "nl": "Op di 1 dec 2026 om 17:00 schreef {who}:",
    "it": "Il giorno mar 1 dic 2026 alle ore 17:00 {who} ha scritto:",
    "ru": "вт, 1 дек. 2026 г. в 17:00, {who}:",
    "ja": "2026年12月1日(火) 17:00 {who}:",
    "zh": "{who} 于2026年12月1日周二 17:00写道：",
}
APPLE_ATTRIBUTION = {
    "en": "On Dec 1, 2026, at 17:00, {who} wrote:",
    "de": "Am 01.12.2026 um 17:00 schrieb {who}:",
    "fr": "Le 1 déc. 2026 à 17:00, {who} a écrit :",
    "es": "El 1 dic 2026, a las 17:00, {who} escribió:",
    "pt": "Em 1 de dez. de 2026, à(s) 17:00, {who} escreveu:",
    "nl": "Op 1 dec. 2026 om 17:00 heeft {who} het volgende geschreven:",
    "it": "Il giorno 1 dic 2026, alle ore 17:00, {who} ha scritto:",
    "ru": "1 дек. 2026 г., в 17:00, {who} написал(а):",
    "ja": "2026/12/01 17:00、{who}のメール:",
    "zh": "2026年12月1日 17:00，{who} 写道：",
}
THUNDERBIRD_ATTRIBUTION = {
    "en": "On 12/1/26 17:00, {who} wrote:",
    "de": "Am 01.12.26 um 17:00 schrieb {who}:",
    "fr": "Le 01/12/2026 à 17:00, {who} a écrit :",
    "es": "El 1/12/26 a las 17:00, {who} escribió:",
    "pt": "Em 01/12/2026 17:00, {who} escreveu:",
    "nl": "Op 01-12-2026 om 17:00 schreef {who}:",
    "it": "Il 01/12/26 17:00, {who} ha scritto:",
    "ru": "01.12.2026 17:00, {who} пишет:",
    "ja": "2026/12/01 17:00, {who} wrote:",
    "zh": "在 2026/12/1 17:00, {who} 写道:",
}
YAHOO_ATTRIBUTION = {
    "en": "On Tuesday, December 1, 2026 at 05:00:00 PM GMT, {who} wrote:",
    "de": "Am Dienstag, 1. Dezember 2026 um 17:00:00 MEZ hat {who} Folgendes geschrieben:",
    "fr": "Le mardi 1 décembre 2026 à 17:00:00 UTC+1, {who} a écrit :",
    "es": "El martes, 1 de diciembre de 2026, 17:00:00 CET, {who} escribió:",
    "pt": "Em terça-feira, 1 de dezembro de 2026 17:00:00 BRT, {who} escreveu:",
    "nl": "Op dinsdag 1 december 2026 17:00:00 CET schreef {who}:",
    "it": "Il martedì 1 dicembre 2026, 17:00:00 CET, {who} ha scritto:",
    "ru": "вторник, 1 декабря 2026 г., 17:00:00 MSK, {who} написал(-а):",
    "ja": "2026年12月1日火曜日 17:00:00 JST、{who} 様は書きました:",
    "zh": "在 2026年12月1日星期二 17:00:00 CST，{who} 写道：",
}
ANDROID_GMAIL_ATTRIBUTION = {
    "en": "On Tue, 1 Dec 2026, 17:00 {who} wrote:",
    "de": "{who} schrieb am Di., 1. Dez. 2026, 17:00:",
    "fr": "Le mar. 1 déc. 2026, 17:00, {who} a écrit :",
    "es": "El mar., 1 dic. 2026 17:00, {who} escribió:",
    "pt": "Em ter, 1 de dez de 2026 17:00, {who} escreveu:",
    "nl": "Op di 1 dec. 2026 17:00 schreef {who}:",
    "it": "Il mar 1 dic 2026, 17:00 {who} ha scritto:",
    "ru": "вт, 1 дек. 2026 г., 17:00 {who}:",
    "ja": "2026年12月1日(火) 17:00 {who}:",
    "zh": "{who}于2026年12月1日 周二17:00写道：",
}
FORWARD_GMAIL = {
    "en": "---------- Forwarded message ---------",
    "de": "---------- Weitergeleitete Nachricht ---------",
    "fr": "---------- Forwarded message ---------",
    "es": "---------- Mensaje reenviado ---------",
    "pt": "---------- Mensagem encaminhada ---------",
    "nl": "---------- Doorgestuurd bericht ---------",
    "it": "---------- Messaggio inoltrato ---------",
    "ru": "---------- Пересылаемое сообщение ---------",
    "ja": "---------- Forwarded message ---------",
    "zh": "---------- Forwarded message ---------",
}
FORWARD_APPLE = {
    "en": "Begin forwarded message:", "de": "Anfang der weitergeleiteten Nachricht:",
    "fr": "Début du message réexpédié :", "es": "Inicio del mensaje reenviado:",
    "pt": "Início da mensagem reencaminhada:", "nl": "Begin doorgestuurd bericht:",
    "it": "Inizio messaggio inoltrato:", "ru": "Начало переадресованного сообщения:",
    "ja": "転送されたメッセージ:", "zh": "以下是转发的邮件：",
}
REPLY_PREFIX = {
    "en": "Re: ", "de": "AW: ", "fr": "RE : ", "es": "RE: ", "pt": "RE: ", "nl": "RE: ",
    "it": "R: ", "ru": "RE: ", "ja": "RE: ", "zh": "回复：",
}
# The charset each language's desktop clients still send.
LEGACY_CHARSET = {
    "en": "windows-1252", "de": "iso-8859-1", "fr": "windows-1252", "es": "iso-8859-1",
    "pt": "iso-8859-1", "nl": "windows-1252", "it": "iso-8859-15", "ru": "koi8-r",
    "ja": "iso-2022-jp", "zh": "gb2312",
}

REMINDER = (
    "What did you get done today?\n\n"
    "Reply to this email with one line for each thing you got done. Your team sees them in\n"
    "tomorrow morning's digest.\n\n"
    "Pause or change your reminders: https://donemail.example/p/9f2c1e"
)
REMINDER_SUBJECT = "What did you get done today?"
