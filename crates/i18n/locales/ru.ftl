## Проблемы (application/problem+json). Код рядом с каждым текстом неизменен.
problem-malformed_json = Тело запроса не является корректным JSON ожидаемой структуры.
problem-unsupported_media_type = Передайте тело запроса как application/json.
problem-method_not_allowed = Этот метод недопустим для данного ресурса.
problem-payload_too_large = Тело запроса слишком велико.
problem-validation_failed = Значение отсутствует, слишком длинное или здесь недопустимо.
problem-invalid_iin = ИИН недействителен: он должен состоять из 12 цифр с верной контрольной цифрой и датой рождения.
problem-invalid_bin = БИН недействителен: он должен состоять из 12 цифр с верной контрольной цифрой.
problem-invalid_country = Код страны не является кодом ISO 3166-1 alpha-2.
problem-invalid_category_code = Код категории данных: от 2 до 64 строчных латинских букв, цифр, «_» или «.».
problem-invalid_purpose_code = Код цели: от 2 до 64 строчных латинских букв, цифр, «_» или «.».
problem-unknown_category = Категории данных { $category } нет в каталоге.
problem-unknown_purpose = Организация не объявила цель { $purpose }.
problem-category_not_approved = Категории данных { $category } нет в утверждённом перечне для этой цели (ст. 7 п. 9, ст. 25 п. 2 пп. 1 Закона).
problem-dates_out_of_order = Даты указаны не по порядку: окончание должно быть позже начала.
problem-term_in_past = Срок действия согласия уже истёк.
problem-invalid_contact = Контакт недействителен: номер телефона в виде +77011234567 или адрес электронной почты.
problem-invalid_cursor = Курсор страницы недействителен.
problem-unauthenticated = Войдите в систему или передайте действительный API-ключ.
problem-forbidden = У вас нет права на это действие.
problem-insufficient_scope = У API-ключа нет области доступа { $scope }.
problem-not_found = Не найдено.
problem-organization_exists = Организация с этим БИН уже зарегистрирована.
problem-category_exists = Категория данных с этим кодом уже существует.
problem-purpose_exists = У организации уже есть цель с этим кодом.
problem-not_an_operator = Собирать персональные данные и запрашивать согласие может только собственник или оператор.
problem-consent_not_pending = На запрос согласия уже дан ответ.
problem-consent_request_lapsed = Время для ответа на этот запрос согласия истекло.
problem-consent_not_active = Согласие не действует.
problem-supersedes_mismatch = Новой версией можно заменить только действующее согласие того же оператора, субъекта и цели.
problem-code_invalid = Неверный код.{ $attempts_left ->
    [none] {""}
   *[other] { " " }Осталось попыток: { $attempts_left }.
}
problem-code_expired = Срок действия кода истёк. Запросите новый.
problem-code_attempts_exhausted = Слишком много неверных кодов. Запросите новый.
problem-code_resend_limit = Для этого запроса больше нельзя отправить код.
problem-no_contact = Нет номера телефона или адреса электронной почты, куда отправить код.
problem-representative_authority_expired = Полномочия законного представителя истекли.
problem-unavailable = Сервис временно недоступен. Повторите попытку чуть позже.
problem-internal = Произошла ошибка на нашей стороне. Ничего не изменено; повторите попытку.

## Сообщения людям.
message-consent_code = Qorgau: { $organization } запрашивает ваше согласие на обработку персональных данных ({ $purpose }). Код: { $code }. Действует { $minutes } мин. Никому его не сообщайте.
message-signin_code = Qorgau: ваш код для входа { $code }. Действует { $minutes } мин. Никому его не сообщайте.
