//! The order of the Russian Post business service «Отправка» (otpravka.pochta.ru): one row per
//! letter with the fields of an order as the service's published description names them
//! (<https://otpravka.pochta.ru/specification#/orders-creating_order>, «Создание заказа»): the
//! number the sender gives the order (`order-num`), the type of address, the address in parts
//! (`index-to`, `region-to`, `area-to`, `place-to`, `street-to`, `house-to`, `corpus-to`,
//! `building-to`, `room-to`, `office-to`), the addressee in one line (`recipient-name`: a person
//! or an organisation) and a person's name in parts, the mass in grams, a letter (`LETTER`),
//! registered (`ORDERED`), within Russia (`643`), and a comment naming the letter's premises.

use obhod_core::{Destination, Envelope};

use super::address::{Parts, names, of_building, of_own};
use super::{Source, premise_note};
use crate::error::PaperError;
use crate::sheet::{Cell, Sheet};

/// The order's columns, named as the service names the fields of an order.
pub const OTPRAVKA_COLUMNS: [&str; 21] = [
    "order-num",
    "address-type-to",
    "index-to",
    "region-to",
    "area-to",
    "place-to",
    "street-to",
    "house-to",
    "corpus-to",
    "building-to",
    "room-to",
    "office-to",
    "recipient-name",
    "surname",
    "given-name",
    "middle-name",
    "mass",
    "mail-type",
    "mail-category",
    "mail-direct",
    "comment",
];

/// The column of the order where the organiser writes the tracking number the service gave each
/// letter (the service calls it so); obhod does not write it.
pub const BARCODE_COLUMN: &str = "barcode";

/// The number of the order of a letter: its first premise and the owner's place among that
/// premise's owners in the registry (`12/2`), which `letters sent` reads the row back by.
pub(super) fn order_num(letter: &Envelope) -> String {
    let first = letter.first();
    let place = first.owners().iter().position(|o| o.name == letter.owner.name).map_or(0, |i| i + 1);
    format!("{}/{place}", first.label)
}

pub(super) fn sheet(source: &Source, letters: &[Envelope], grams: i64) -> Result<Sheet, PaperError> {
    let mut rows = vec![OTPRAVKA_COLUMNS.iter().map(|c| Cell::text(*c)).collect::<Vec<_>>()];
    for letter in letters {
        let owner = letter.owner;
        let (parts, attention) = match letter.to {
            Destination::Own(address) => of_own(source, &owner.name, address, letter.line)?,
            Destination::Premise(premise) => (of_building(source.meeting, premise)?, Vec::new()),
        };
        // A department the letter is for goes with the addressee's name, never into the address.
        let recipient = std::iter::once(owner.name.as_str()).chain(attention.iter().map(String::as_str));
        let (surname, given, middle) = names(owner.kind, &owner.name);
        let Parts { index, region, area, place, street, house, corpus, building, room, office } = parts;
        rows.push(
            [
                order_num(letter),
                "DEFAULT".into(),
                index,
                region,
                area,
                place,
                street,
                house,
                corpus,
                building,
                room,
                office,
                recipient.collect::<Vec<_>>().join(", "),
                surname,
                given,
                middle,
            ]
            .into_iter()
            .map(Cell::Text)
            .chain([
                Cell::Int(grams),
                Cell::text("LETTER"),
                Cell::text("ORDERED"),
                Cell::Int(643),
                Cell::text(premise_note(letter)),
            ])
            .collect(),
        );
    }
    let end = rows.len();
    Ok(Sheet {
        name: "Отправка".into(),
        rows,
        table: 0,
        end,
        widths: vec![
            9.0, 9.0, 9.0, 16.0, 14.0, 16.0, 20.0, 8.0, 7.0, 7.0, 7.0, 7.0, 36.0, 14.0, 12.0, 14.0, 6.0, 8.0, 10.0,
            7.0, 16.0,
        ],
        row_height: 0.0,
    })
}
