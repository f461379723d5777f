import { describe, expect, it } from "vitest"
import { Redaction } from "../src/index"

// worked values: 11010519491231002X is the GB 11643-1999 example number (check character X);
// 4111111111111111 and 6228480012345678903 pass Luhn (an ISO/IEC 7812 test card; a 19-digit UnionPay-style number)
describe("ID card numbers (GB 11643)", () => {
  it("accepts valid numbers and rejects a wrong check character or birth date", () => {
    expect(Redaction.isIdCardNumber("11010519491231002X")).toBe(true)
    expect(Redaction.isIdCardNumber("11010519491231002x")).toBe(true)
    expect(Redaction.isIdCardNumber("110105194912310021")).toBe(false) // check should be X
    expect(Redaction.isIdCardNumber("110105194913310024")).toBe(false) // month 13
    expect(Redaction.isIdCardNumber("11010519491231002")).toBe(false) // 17 characters
  })
})

describe("bank card numbers (Luhn)", () => {
  it("checks Luhn and the first digit", () => {
    expect(Redaction.luhn("79927398713")).toBe(true) // the classic Luhn example
    expect(Redaction.luhn("79927398710")).toBe(false)
    expect(Redaction.isBankCardNumber("4111111111111111")).toBe(true)
    expect(Redaction.isBankCardNumber("4111111111111112")).toBe(false)
    expect(Redaction.isBankCardNumber("6228480012345678903")).toBe(true)
    expect(Redaction.isBankCardNumber("1234567812345670")).toBe(false) // passes Luhn, not a card prefix
  })
})

describe("redact", () => {
  it("masks valid numbers in message text and keeps the rest", () => {
    const r = Redaction.redact("身份证 11010519491231002X，卡号 4111 1111 1111 1111，订单 20240101123456789")
    expect(r.text).toBe("身份证 110***********002X，卡号 411111******1111，订单 20240101123456789")
    expect(r).toMatchObject({ idCards: 1, bankCards: 1 })
  })
  it("leaves invalid numbers alone", () => {
    const text = "ID 110105194912310021 card 4111-1111-1111-1112 phone 13800138000"
    expect(Redaction.redact(text)).toEqual({ text, idCards: 0, bankCards: 0 })
  })
  it("masks a dashed card and a card at the edges of the text", () => {
    expect(Redaction.redact("6228-4800-1234-5678-903").text).toBe("622848*********8903")
  })
})

describe("masking", () => {
  it("masks phones, e-mail addresses and names", () => {
    expect(Redaction.maskPhone("13812341234")).toBe("138****1234")
    expect(Redaction.maskPhone("+86 138 1234 1234")).toBe("*********1234")
    expect(Redaction.maskEmail("zhang.san@example.com")).toBe("z***@example.com")
    expect(Redaction.maskName("张三")).toBe("张*")
    expect(Redaction.maskName("欧阳娜娜")).toBe("欧***")
    expect(Redaction.maskName("John Smith")).toBe("J*** S***")
    expect(Redaction.maskContact("phone", "13812341234")).toBe("138****1234")
    expect(Redaction.maskContact("email", "a@b.cn")).toBe("a***@b.cn")
  })
})
